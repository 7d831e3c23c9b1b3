import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, data, type EventView, type RegistrationView } from '../../api/client';
import { ProblemAlert, Loading } from '../../components/ui';
import { formatDateTime, formatEventTime } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { useNotificationArrivals } from '../../components/notifications-live';
import { usePublicStream } from '../../live/streams';
import { useSession } from '../../session/session';
import { CATEGORY_LABELS, findMyRegistration, type AvailabilityView } from './attendee-lib';
import { RatingLine } from './attendee-parts';
import { Markdown } from './Markdown';
import { RegistrationPanel, SeatsLeft } from './RegistrationPanel';
import { ReviewsSection } from './Reviews';
import './attendee.css';

const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function EventPage() {
  const { eventId = '' } = useParams();
  const loaded = useApi(
    (signal) => data(api.GET('/v1/events/{id}', { params: { path: { id: eventId } }, signal })),
    [eventId],
  );
  const event = loaded.data?.id === eventId ? loaded.data : undefined;

  const title = event
    ? event.title
    : loaded.problem
      ? loaded.problem.status === 404
        ? 'Event not found'
        : 'Event'
      : 'Loading event…';
  return (
    <article className="att-event">
      {/* One heading element throughout, so the focus the layout puts on it survives loading. */}
      <h1 className="att-event-title">{title}</h1>
      {!event && loaded.loading && <Loading label="Loading the event…" />}
      {!event && loaded.problem && (
        <>
          {loaded.problem.status === 404 ? (
            <p>
              This event does not exist, or it is not published. <Link to="/">Browse events</Link> instead.
            </p>
          ) : (
            <ProblemAlert problem={loaded.problem} onRetry={loaded.reload} />
          )}
        </>
      )}
      {event && <EventDetails event={event} reloadEvent={loaded.reload} />}
    </article>
  );
}

function EventDetails({ event, reloadEvent }: { event: EventView; reloadEvent(): void }) {
  const { user } = useSession();
  const [availability, setAvailability] = useState<AvailabilityView | undefined>(() =>
    event.seatsLeft !== undefined
      ? {
          eventId: event.id,
          capacity: event.capacity,
          confirmed: event.confirmedCount ?? event.capacity - event.seatsLeft,
          waitlisted: event.waitlistedCount ?? 0,
          seatsLeft: event.seatsLeft,
        }
      : undefined,
  );
  const [registration, setRegistration] = useState<RegistrationView | null>();
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'info' }>();
  const userId = user?.id;
  const registrationRef = useRef(registration);
  useEffect(() => {
    registrationRef.current = registration;
  }, [registration]);
  const { id: eventId, endsAt } = event;

  // The viewer's registration: looked up once, then re-read whenever the seats change (a waitlisted
  // viewer sees their promotion, or their place move up, without reloading).
  const lookup = useRef(0);
  const refreshRegistration = useCallback(
    async (announce: boolean) => {
      if (!userId) return;
      const request = ++lookup.current;
      const known = registrationRef.current;
      try {
        const fresh =
          known && known.status !== 'cancelled'
            ? await data(api.GET('/v1/registrations/{id}', { params: { path: { id: known.id } } }))
            : await findMyRegistration({ id: eventId, endsAt });
        if (request !== lookup.current) return;
        if (announce && known && fresh) {
          if (known.status === 'waitlisted' && fresh.status === 'confirmed')
            setMessage({ text: 'A seat opened up: you are in! Your ticket is ready.', tone: 'ok' });
          else if (
            fresh.status === 'waitlisted' &&
            known.waitlistPosition !== undefined &&
            fresh.waitlistPosition !== undefined &&
            fresh.waitlistPosition < known.waitlistPosition
          )
            setMessage({ text: `You moved up: you are #${fresh.waitlistPosition} on the waitlist.`, tone: 'info' });
          else if (known.status !== 'cancelled' && fresh.status === 'cancelled')
            setMessage({ text: 'Your registration was cancelled.', tone: 'info' });
        }
        setRegistration(fresh ?? null);
      } catch {
        if (request === lookup.current && registrationRef.current === undefined) setRegistration(null);
      }
    },
    [userId, eventId, endsAt],
  );

  useEffect(() => {
    setRegistration(undefined);
    void refreshRegistration(false);
  }, [refreshRegistration]);

  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);
  const availabilityRef = useRef(availability);
  usePublicStream<AvailabilityView>(
    event.status === 'published' ? `/v1/events/${event.id}/availability/stream` : undefined,
    'availability',
    (next) => {
      const current = availabilityRef.current;
      availabilityRef.current = next;
      setAvailability(next);
      if (current && userId && (current.confirmed !== next.confirmed || current.waitlisted !== next.waitlisted)) {
        // A burst of changes is one re-read.
        clearTimeout(refreshTimer.current);
        refreshTimer.current = setTimeout(() => void refreshRegistration(true), 250);
      }
    },
  );

  // A notification about this event (promoted, cancelled by the organizer…) is news about the viewer's
  // own registration too, even if the seats stream missed it.
  useNotificationArrivals((notification) => {
    if (notification.eventId === event.id) void refreshRegistration(true);
  });

  const onRegistration = (next: RegistrationView, text: string, tone: 'ok' | 'info') => {
    lookup.current++;
    setRegistration(next);
    setMessage({ text, tone });
  };

  // Re-render when the event starts or ends, so the review form and the badges follow the clock.
  const [, setTick] = useState(0);
  useEffect(() => {
    const next = [event.startsAt, event.endsAt]
      .map((iso) => new Date(iso).getTime() - Date.now())
      .filter((ms) => ms > 0 && ms < 24 * 3600_000);
    if (next.length === 0) return;
    const timer = setTimeout(() => setTick((t) => t + 1), Math.min(...next) + 500);
    return () => clearTimeout(timer);
  });

  const now = Date.now();
  const started = new Date(event.startsAt).getTime() <= now;
  const ended = new Date(event.endsAt).getTime() <= now;
  // The reviews service's rule: checked in at the door (even before the start), or a confirmed seat once
  // the event started (kept if cancelled after the start). The API has the last word.
  const checkedIn = !!registration?.checkedInAt;
  const heldSeat =
    !!registration &&
    (registration.status === 'confirmed' ||
      (registration.status === 'cancelled' &&
        !!registration.cancelledAt &&
        Date.parse(registration.cancelledAt) >= Date.parse(event.startsAt)));
  const canReview = !!user && event.status !== 'draft' && (checkedIn || (started && heldSeat));
  const reviewHint =
    user && registration?.status === 'confirmed' && !started && !checkedIn
      ? `Reviews open when the event starts (${formatDateTime(event.startsAt)}).`
      : undefined;
  const isOrganizer = user?.id === event.organizerId;

  const ratingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(ratingTimer.current), []);
  const onReviewsChanged = () => {
    // The rating summary is a projection that follows a review within seconds.
    clearTimeout(ratingTimer.current);
    ratingTimer.current = setTimeout(reloadEvent, 2000);
  };

  return (
    <>
      <div className="att-event-kicker">
        <span className="badge">{CATEGORY_LABELS[event.category]}</span>
        {event.status === 'draft' && <span className="badge badge-warn">Draft</span>}
        {event.status === 'cancelled' && <span className="badge badge-bad">Cancelled</span>}
        {event.status === 'published' && ended && <span className="badge">Ended</span>}
        {event.status === 'published' && started && !ended && <span className="badge badge-ok">Happening now</span>}
        <RatingLine rating={event.rating} />
      </div>

      {event.status === 'cancelled' && (
        <div className="alert alert-error att-cancelled" role="status">
          <strong>This event was cancelled.</strong>
          {event.cancellationReason && <p>{event.cancellationReason}</p>}
        </div>
      )}
      {isOrganizer && (
        <p className="alert alert-info">
          You organize this event. <Link to={`/organizer/events/${event.id}`}>Open its dashboard</Link>
        </p>
      )}

      <p
        role="status"
        className={message?.tone === 'info' ? 'att-live-message att-live-message-info' : 'att-live-message'}
        data-testid="registration-message"
      >
        {message?.text}
      </p>

      <div className="att-event-layout">
        <section className="card att-event-facts" aria-labelledby="att-when-where">
          <h2 id="att-when-where" className="visually-hidden">
            When and where
          </h2>
          <dl>
            <div>
              <dt>When</dt>
              <dd>
                <time dateTime={event.startsAt}>{formatEventTime(event.startsAt, event.endsAt, event.timezone)}</time>
                {viewerTimeZone !== event.timezone && (
                  <span className="att-local-time">
                    Your time: {formatEventTime(event.startsAt, event.endsAt, viewerTimeZone)}
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>
                {event.venue ? (
                  <>
                    <span className="att-venue-name">{event.venue.name}</span>
                    <span className="att-venue-address">{event.venue.address}</span>
                    {event.venue.lat !== undefined && event.venue.lng !== undefined && (
                      <a
                        href={`https://www.openstreetmap.org/?mlat=${event.venue.lat}&mlon=${event.venue.lng}#map=17/${event.venue.lat}/${event.venue.lng}`}
                        rel="noopener noreferrer"
                      >
                        Open in a map
                      </a>
                    )}
                  </>
                ) : event.onlineUrl ? (
                  <>
                    <span className="att-venue-name">Online</span>
                    <a href={event.onlineUrl} rel="noopener noreferrer" className="att-online-link">
                      Join online<span className="visually-hidden"> ({event.onlineUrl})</span>
                    </a>
                    <span className="att-venue-address">{event.onlineUrl}</span>
                  </>
                ) : (
                  'To be announced'
                )}
              </dd>
            </div>
            {event.tags.length > 0 && (
              <div>
                <dt>Tags</dt>
                <dd>
                  <ul className="att-tags">
                    {event.tags.map((tag) => (
                      <li key={tag}>
                        <Link to={`/?q=${encodeURIComponent(tag)}`}>#{tag}</Link>
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            )}
          </dl>
        </section>

        <aside className="att-event-side" aria-label="Registration">
          <SeatsLeft event={event} availability={availability} />
          <RegistrationPanel
            event={event}
            user={user}
            registration={user ? registration : null}
            onRegistration={onRegistration}
            availability={availability}
          />
        </aside>

        <section className="att-about" aria-labelledby="att-about-title">
          <h2 id="att-about-title">About this event</h2>
          {event.description.trim() ? (
            <Markdown source={event.description} className="att-description" />
          ) : (
            <p className="muted">The organizer has not written a description.</p>
          )}
        </section>
      </div>

      <ReviewsSection
        event={event}
        user={user}
        canReview={canReview}
        reviewHint={reviewHint}
        onReviewsChanged={onReviewsChanged}
      />
    </>
  );
}
