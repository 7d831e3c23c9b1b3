import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, data, type RegistrationView } from '../../api/client';
import { useNotificationArrivals } from '../../components/notifications-live';
import { EmptyState, Loading, ProblemAlert, LoadMore } from '../../components/ui';
import { formatDateTime, formatEventTime } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { usePagedList } from '../../lib/use-paged-list';
import { calendarFile, placeOf, type TicketView } from './attendee-lib';
import { RegistrationBadge } from './attendee-parts';
import './attendee.css';

type When = 'upcoming' | 'past';
const TABS: Array<{ when: When; label: string }> = [
  { when: 'upcoming', label: 'Upcoming' },
  { when: 'past', label: 'Past' },
];
const PAGE_SIZE = 20;

export function MyTicketsPage() {
  const [params, setParams] = useSearchParams();
  const when: When = params.get('when') === 'past' ? 'past' : 'upcoming';
  const tabs = useRef<Record<When, HTMLButtonElement | null>>({ upcoming: null, past: null });

  const select = (next: When, focus = false) => {
    setParams(next === 'upcoming' ? {} : { when: next }, { replace: true });
    if (focus) tabs.current[next]?.focus();
  };
  // Arrow keys move between tabs (the ARIA tabs pattern); Tab moves on into the panel.
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.when === when);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (event.key === 'Home') select(TABS[0].when, true);
    else if (event.key === 'End') select(TABS[TABS.length - 1].when, true);
    else if (step) select(TABS[(index + step + TABS.length) % TABS.length].when, true);
    else return;
    event.preventDefault();
  };

  return (
    <section className="att-tickets">
      <h1>My tickets</h1>
      <div role="tablist" aria-label="Which registrations" className="att-tabs" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.when}
            ref={(element) => {
              tabs.current[tab.when] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.when}`}
            aria-selected={when === tab.when}
            aria-controls="tickets-panel"
            tabIndex={when === tab.when ? 0 : -1}
            className="att-tab"
            onClick={() => select(tab.when)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tickets-panel" aria-labelledby={`tab-${when}`} className="att-tab-panel">
        <RegistrationList key={when} when={when} />
      </div>
    </section>
  );
}

function RegistrationList({ when }: { when: When }) {
  const list = usePagedList(
    (cursor, signal) =>
      data(api.GET('/v1/me/registrations', { params: { query: { when, limit: PAGE_SIZE, cursor } }, signal })),
    [when],
  );
  const [showCancelled, setShowCancelled] = useState(false);
  // Promotions and cancellations arrive as notifications: show the new state without a reload.
  useNotificationArrivals((notification) => {
    if (notification.category === 'registrations' || notification.category === 'event-updates') list.reset();
  });
  const cancelled = list.items.filter((r) => r.status === 'cancelled').length;
  const shown = showCancelled ? list.items : list.items.filter((r) => r.status !== 'cancelled');
  const firstPageFailed = !!list.problem && list.items.length === 0;

  if (list.loading && list.items.length === 0) return <Loading label="Loading your registrations…" />;
  if (firstPageFailed) return <ProblemAlert problem={list.problem} onRetry={list.reset} />;
  return (
    <>
      {cancelled > 0 && (
        <label className="att-check att-show-cancelled">
          <input type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
          Show cancelled registrations ({cancelled})
        </label>
      )}
      {shown.length === 0 ? (
        <EmptyState>
          {when === 'upcoming' ? (
            <>
              No upcoming events. <Link to="/">Find something to go to</Link>.
            </>
          ) : (
            'No past events yet.'
          )}
        </EmptyState>
      ) : (
        <ul className="att-reg-list">
          {shown.map((registration) => (
            <li key={registration.id}>
              <RegistrationCard registration={registration} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        problem={list.problem}
        onLoad={() => void list.loadMore()}
      />
    </>
  );
}

function RegistrationCard({ registration }: { registration: RegistrationView }) {
  const cancelled = registration.status === 'cancelled';
  return (
    <article className={cancelled ? 'card att-reg att-reg-cancelled' : 'card att-reg'}>
      <div className="att-reg-main">
        <h2 className="att-reg-title">
          <Link to={`/events/${registration.eventId}`}>{registration.eventTitle}</Link>
        </h2>
        <p className="att-reg-when">
          <time dateTime={registration.eventStartsAt}>{formatDateTime(registration.eventStartsAt)}</time>
        </p>
        <p className="att-reg-status">
          <RegistrationBadge registration={registration} />
          {registration.status === 'waitlisted' && registration.waitlistPosition !== undefined && (
            <span> You are #{registration.waitlistPosition} on the waitlist.</span>
          )}
          {registration.status === 'confirmed' && <span className="muted"> Ticket for {registration.holderName}</span>}
        </p>
      </div>
      {registration.status === 'confirmed' && (
        <Link to={`/tickets/${registration.id}`} className="button att-reg-ticket">
          Show ticket<span className="visually-hidden"> for {registration.eventTitle}</span>
        </Link>
      )}
    </article>
  );
}

export function TicketPage() {
  const { registrationId = '' } = useParams();
  const registration = useApi(
    (signal) => data(api.GET('/v1/registrations/{id}', { params: { path: { id: registrationId } }, signal })),
    [registrationId],
  );
  const reg = registration.data?.id === registrationId ? registration.data : undefined;
  useNotificationArrivals((notification) => {
    if (reg && notification.eventId === reg.eventId) registration.reload();
  });

  return (
    <section className="att-ticket-page">
      <h1>Your ticket</h1>
      <p>
        <Link to="/tickets">← All my tickets</Link>
      </p>
      {registration.loading && !reg && <Loading label="Loading your ticket…" />}
      {registration.problem &&
        (registration.problem.status === 404 ? (
          <div className="alert alert-error" role="alert">
            <strong>Ticket not found.</strong>
            <p>
              It does not exist or belongs to someone else. See <Link to="/tickets">your tickets</Link>.
            </p>
          </div>
        ) : (
          <ProblemAlert problem={registration.problem} onRetry={registration.reload} />
        ))}
      {reg && <Ticket registration={reg} />}
    </section>
  );
}

function Ticket({ registration }: { registration: RegistrationView }) {
  const confirmed = registration.status === 'confirmed';
  const ticket = useApi(
    async (signal) =>
      confirmed
        ? // The route also speaks image/svg+xml and image/png; this page wants the JSON with holder and code.
          (data(
            api.GET('/v1/registrations/{id}/ticket', {
              params: { path: { id: registration.id } },
              headers: { accept: 'application/json' },
              signal,
            }),
          ) as Promise<TicketView>)
        : undefined,
    [registration.id, confirmed],
  );
  const event = useApi(
    (signal) => data(api.GET('/v1/events/{id}', { params: { path: { id: registration.eventId } }, signal })),
    [registration.eventId],
  );
  const [calendarUrl, setCalendarUrl] = useState<string>();
  useEffect(() => {
    if (!event.data) return;
    const url = URL.createObjectURL(
      new Blob([calendarFile(event.data, `${window.location.origin}/events/${event.data.id}`)], {
        type: 'text/calendar',
      }),
    );
    setCalendarUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [event.data]);

  const e = event.data;
  const when = e ? formatEventTime(e.startsAt, e.endsAt, e.timezone) : formatDateTime(registration.eventStartsAt);
  const t = ticket.data;
  // A gateway older than the typed code sends none: then the QR code alone is shown.
  const code = t?.code as string | undefined;

  return (
    <article className="card att-ticket" aria-labelledby="att-ticket-event">
      <header className="att-ticket-head">
        <h2 id="att-ticket-event" className="att-ticket-event">
          <Link to={`/events/${registration.eventId}`}>{e?.title ?? registration.eventTitle}</Link>
        </h2>
        <p className="att-ticket-when">
          <time dateTime={registration.eventStartsAt}>{when}</time>
        </p>
        {e && (
          <p className="att-ticket-where">
            {placeOf(e)}
            {e.venue && <span className="muted">, {e.venue.address}</span>}
          </p>
        )}
        <p>
          <RegistrationBadge registration={registration} />
          {registration.checkedInAt && <span className="muted"> at {formatDateTime(registration.checkedInAt)}</span>}
        </p>
      </header>

      {registration.status === 'waitlisted' && (
        <div className="alert alert-info" role="status">
          <strong>No ticket yet: you are #{registration.waitlistPosition ?? '?'} on the waitlist.</strong>
          <p>When a seat opens up it is yours automatically, and your ticket appears here.</p>
        </div>
      )}
      {registration.status === 'cancelled' && (
        <div className="alert alert-error" role="status">
          <strong>This registration was cancelled, so it has no ticket.</strong>
          <p>
            <Link to={`/events/${registration.eventId}`}>Go to the event</Link> to register again while seats are left.
          </p>
        </div>
      )}

      {confirmed && ticket.loading && !t && <Loading label="Loading the QR code…" />}
      <ProblemAlert problem={ticket.problem} onRetry={ticket.reload} />
      {t && (
        <div className="att-ticket-body">
          <img
            className="att-qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(t.qrSvg)}`}
            alt={`Ticket QR code for ${t.holderName}, ${e?.title ?? registration.eventTitle}`}
            width={280}
            height={280}
          />
          <dl className="att-ticket-facts">
            <div>
              <dt>Ticket holder</dt>
              <dd className="att-ticket-holder" data-testid="ticket-holder">
                {t.holderName}
              </dd>
            </div>
            {code && (
              <div>
                <dt>Check-in code</dt>
                <dd>
                  <code className="att-ticket-code" data-testid="ticket-code">
                    {code}
                  </code>
                  <span className="att-ticket-code-hint">
                    If the scanner cannot read the QR code, tell door staff this code.
                  </span>
                </dd>
              </div>
            )}
            <div>
              <dt>Registration</dt>
              <dd className="att-ticket-id">{registration.id}</dd>
            </div>
          </dl>
        </div>
      )}
      {t && (
        <p className="att-ticket-tip muted">
          Show this QR code at the door with your screen brightness up. Open it before you arrive if reception at the
          venue is poor.
        </p>
      )}
      {confirmed && (
        <div className="row att-ticket-actions">
          {calendarUrl && e && (
            <a
              className="button button-secondary"
              href={calendarUrl}
              download={`${e.title.replace(/[^\w-]+/g, '-')}.ics`}
            >
              Add to calendar
            </a>
          )}
          {t && (
            <button type="button" className="button button-secondary" onClick={() => window.print()}>
              Print ticket
            </button>
          )}
        </div>
      )}
    </article>
  );
}
