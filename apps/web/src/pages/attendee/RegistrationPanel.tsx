// The viewer's place at an event: seats left (live), and register / waitlist position / ticket / cancel.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, data, type EventView, type RegistrationView, type UserView } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { Loading, ProblemAlert } from '../../components/ui';
import { newIdempotencyKey, type AvailabilityView } from './attendee-lib';
import { ConfirmStep, RegistrationBadge } from './attendee-parts';

export function SeatsLeft({ event, availability }: { event: EventView; availability: AvailabilityView | undefined }) {
  if (event.status !== 'published' || !availability) return null;
  const { seatsLeft, capacity, confirmed, waitlisted } = availability;
  return (
    <div className="att-seats-box">
      <p
        className="att-seats-left"
        aria-live="polite"
        aria-atomic="true"
        data-testid="seats-left"
        data-seats-left={seatsLeft}
      >
        <strong className="att-seats-number">{seatsLeft}</strong> {seatsLeft === 1 ? 'seat' : 'seats'} left
      </p>
      <meter
        className="att-seats-meter"
        min={0}
        max={capacity}
        value={confirmed}
        low={capacity * 0.7}
        high={capacity * 0.9}
        optimum={0}
        aria-label="Seats taken"
        aria-valuetext={`${confirmed} of ${capacity} seats taken`}
      />
      <p className="att-seats-detail">
        {confirmed} of {capacity} taken
        {waitlisted > 0 && <> · {waitlisted} on the waitlist</>}
      </p>
      {seatsLeft === 0 && (
        <p className="att-seats-full">{event.waitlistEnabled ? 'Full: the waitlist is open.' : 'Sold out.'}</p>
      )}
    </div>
  );
}

export function RegistrationPanel({
  event,
  user,
  registration,
  onRegistration,
  availability,
}: {
  event: EventView;
  user: UserView | undefined;
  /** undefined while looking it up; null when the viewer has none. */
  registration: RegistrationView | null | undefined;
  onRegistration(registration: RegistrationView, message: string, tone: 'ok' | 'info'): void;
  availability: AvailabilityView | undefined;
}) {
  const [problem, setProblem] = useState<ApiProblem>();
  const [pending, setPending] = useState(false);
  // A new key per attempt; kept only after a failure the server did not answer (network, 5xx), so a
  // retry of the same click cannot register twice.
  const retryKey = useRef<string>(undefined);
  // The button just pressed is replaced by the new state: keep the keyboard focus in the panel.
  const title = useRef<HTMLHeadingElement>(null);
  const refocus = useRef(false);
  const shown = registration ? `${registration.id}:${registration.status}` : String(registration);
  useEffect(() => {
    if (refocus.current) title.current?.focus();
    refocus.current = false;
  }, [shown]);
  const ended = new Date(event.endsAt).getTime() <= Date.now();
  const open = event.status === 'published' && !ended;
  const signInPath = `/signin?next=${encodeURIComponent(`/events/${event.id}`)}`;

  const register = async () => {
    const key = retryKey.current ?? newIdempotencyKey();
    retryKey.current = key;
    setPending(true);
    setProblem(undefined);
    try {
      const created = await data(
        api.POST('/v1/events/{id}/registrations', {
          params: { path: { id: event.id }, header: { 'Idempotency-Key': key } },
        }),
      );
      retryKey.current = undefined;
      refocus.current = true;
      if (created.status === 'confirmed') onRegistration(created, 'You are registered: your seat is confirmed.', 'ok');
      else
        onRegistration(
          created,
          `The event is full: you are #${created.waitlistPosition ?? '?'} on the waitlist.`,
          'info',
        );
    } catch (error) {
      const failure = asProblem(error);
      if (failure.status >= 400 && failure.status < 500) retryKey.current = undefined;
      const existing = (failure.problem as { registration?: RegistrationView }).registration;
      if (failure.code === 'ALREADY_REGISTERED' && existing) {
        refocus.current = true;
        onRegistration(existing, 'You were already registered for this event.', 'info');
      } else {
        setProblem(failure);
      }
    } finally {
      setPending(false);
    }
  };

  const cancel = async (id: string) => {
    setPending(true);
    setProblem(undefined);
    try {
      const cancelled = await data(api.DELETE('/v1/registrations/{id}', { params: { path: { id } } }));
      refocus.current = true;
      onRegistration(cancelled, 'Your registration is cancelled.', 'info');
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setPending(false);
    }
  };

  const registerButton = (label: string) =>
    open && (
      <button type="button" className="button att-register" disabled={pending} onClick={() => void register()}>
        {pending ? 'Registering…' : label}
      </button>
    );

  let body;
  if (!user) {
    body = open ? (
      <>
        <p>Sign in to take a seat. It takes a minute to create an account.</p>
        <Link to={signInPath} className="button att-register">
          Sign in to register
        </Link>
      </>
    ) : null;
  } else if (registration === undefined) {
    body = <Loading label="Checking your registration…" />;
  } else if (!registration || registration.status === 'cancelled') {
    body = (
      <>
        {registration && (
          <p className="att-reg-state">
            <RegistrationBadge registration={registration} />{' '}
            {registration.cancellationReason === 'organizer'
              ? 'The organizer cancelled your registration.'
              : registration.cancellationReason === 'event-cancelled'
                ? 'Your registration ended when the event was cancelled.'
                : 'You cancelled your registration.'}
          </p>
        )}
        {open && availability?.seatsLeft === 0 && !event.waitlistEnabled ? (
          <p className="att-reg-help">Sold out: there is no waitlist for this event.</p>
        ) : (
          registerButton(registration ? 'Register again' : 'Register')
        )}
        {open && availability?.seatsLeft === 0 && event.waitlistEnabled && (
          <p className="att-reg-help">
            The event is full: registering puts you on the waitlist. If a seat opens up, it is yours automatically.
          </p>
        )}
      </>
    );
  } else if (registration.status === 'waitlisted') {
    body = (
      <>
        <p className="att-reg-state">
          <RegistrationBadge registration={registration} />
        </p>
        <p className="att-reg-headline" data-testid="waitlist-position">
          You are #{registration.waitlistPosition ?? '?'} on the waitlist
        </p>
        <p className="att-reg-help">
          When a seat opens up it is yours automatically: this page, the bell and your email tell you.
        </p>
        {open && <CancelButton registration={registration} pending={pending} onCancel={cancel} />}
      </>
    );
  } else {
    body = (
      <>
        <p className="att-reg-state">
          <RegistrationBadge registration={registration} />
        </p>
        <p className="att-reg-headline" data-testid="registration-confirmed">
          {registration.checkedInAt ? 'You are checked in. Enjoy!' : 'You are going: your seat is confirmed.'}
        </p>
        <div className="att-reg-actions">
          <Link to={`/tickets/${registration.id}`} className="button">
            Show ticket
          </Link>
          {open && !registration.checkedInAt && (
            <CancelButton registration={registration} pending={pending} onCancel={cancel} />
          )}
        </div>
      </>
    );
  }

  return (
    <section className="card att-panel" aria-labelledby="att-panel-title">
      <h2 id="att-panel-title" className="att-panel-title" ref={title} tabIndex={-1}>
        {event.status === 'cancelled' ? 'Cancelled' : ended ? 'This event has ended' : 'Your seat'}
      </h2>
      {event.status === 'draft' && <p>This event is a draft: attendees cannot see it or register yet.</p>}
      <ProblemAlert problem={problem} />
      {body}
    </section>
  );
}

function CancelButton({
  registration,
  pending,
  onCancel,
}: {
  registration: RegistrationView;
  pending: boolean;
  onCancel(id: string): void;
}) {
  return (
    <ConfirmStep
      trigger="Cancel registration"
      question={
        registration.status === 'waitlisted'
          ? 'Leave the waitlist? You lose your place in line.'
          : 'Cancel your registration? Your seat goes to the next person in line, and your ticket stops working.'
      }
      confirm="Yes, cancel registration"
      keep="Keep my registration"
      pending={pending}
      onConfirm={() => onCancel(registration.id)}
    />
  );
}
