// Pieces the organizer pages share: the event they are about, its status badge, the per-event
// navigation, the "not an organizer yet" explanation and polling while the tab is visible.
import { useEffect, useRef } from 'react';
import { Link, NavLink } from 'react-router';
import { api, data, type EventView, type Schemas } from '../../api/client';
import { useApi } from '../../lib/use-api';

export type EventStatus = EventView['status'];
export type Attendee = Schemas['AttendeeResponse'];

const STATUS_BADGE: Record<EventStatus, { className: string; label: string }> = {
  draft: { className: 'badge badge-warn', label: 'Draft' },
  published: { className: 'badge badge-ok', label: 'Published' },
  cancelled: { className: 'badge badge-bad', label: 'Cancelled' },
};

/** Draft / Published / Cancelled, said in words (the colour only repeats it). */
export function StatusBadge({ status }: { status: EventStatus }) {
  const badge = STATUS_BADGE[status];
  return <span className={badge.className}>{badge.label}</span>;
}

export function hasEnded(event: Pick<EventView, 'endsAt'>, now = Date.now()): boolean {
  return new Date(event.endsAt).getTime() <= now;
}

/** The event a page under /organizer/events/:eventId is about (drafts too: the caller is its organizer). */
export function useEvent(eventId: string | undefined) {
  return useApi(
    (signal) => data(api.GET('/v1/events/{id}', { params: { path: { id: eventId ?? '' } }, signal })),
    [eventId],
  );
}

/** The links between one event's organizer pages; the current one is marked for screen readers too. */
export function EventSubnav({ eventId }: { eventId: string }) {
  const base = `/organizer/events/${eventId}`;
  return (
    <nav className="event-subnav" aria-label="This event">
      <ul>
        <li>
          <NavLink to={base} end>
            Dashboard
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/edit`}>Edit</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/attendees`}>Attendees</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/staff`}>Staff</NavLink>
        </li>
        <li>
          <Link to={`/door/${eventId}`}>Door check-in</Link>
        </li>
        <li>
          <Link to={`/events/${eventId}`}>Public page</Link>
        </li>
      </ul>
    </nav>
  );
}

/** Shown instead of an organizer page to someone who has not become an organizer. */
export function NotOrganizer({ title }: { title: string }) {
  return (
    <section className="page narrow stack">
      <h1>{title}</h1>
      <div className="alert alert-info">
        <strong>You are not an organizer yet.</strong>
        <p>
          Organizers create events, follow registrations live, check people in and connect webhooks. Anyone with an
          account can become one from their account page.
        </p>
      </div>
      <p>
        <Link className="button" to="/account">
          Become an organizer
        </Link>
      </p>
    </section>
  );
}

/**
 * Calls `tick` every `ms` while the page is visible, and at once when it becomes visible again
 * (a phone picked up from the table catches up immediately instead of waiting for the next tick).
 */
export function useWhileVisible(tick: () => void, ms: number, enabled = true): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (timer === undefined) timer = setInterval(() => tickRef.current(), ms);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        tickRef.current();
        start();
      } else stop();
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms, enabled]);
}

export interface AttendeeFilter {
  status?: Attendee['status'];
  checkedIn?: boolean;
}

type AttendeePage = Schemas['AttendeePageResponse'];

/**
 * One page of an event's attendees. The route also answers text/csv (see the CSV export), so the
 * generated type is "page or string"; asked for JSON, as openapi-fetch does, it is the page.
 */
export function fetchAttendeePage(
  eventId: string,
  query: AttendeeFilter & { limit?: number; cursor?: string },
  signal?: AbortSignal,
): Promise<AttendeePage> {
  return data(
    api.GET('/v1/events/{id}/attendees', {
      params: { path: { id: eventId }, query },
      headers: { accept: 'application/json' },
      signal,
    }),
  ) as Promise<AttendeePage>;
}

/** Every attendee matching `filter`, following the cursor 1000 at a time (the API's largest page). */
export async function fetchAllAttendees(
  eventId: string,
  filter: AttendeeFilter,
  signal?: AbortSignal,
): Promise<Attendee[]> {
  const all: Attendee[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchAttendeePage(eventId, { ...filter, limit: 1000, cursor }, signal);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** "Your events › <event>" and the page's heading beside the event's status. */
export function EventPageHeading({
  event,
  heading,
  crumb = true,
}: {
  event?: EventView;
  heading: string;
  /** Link the event's dashboard in the breadcrumb (not on the dashboard itself). */
  crumb?: boolean;
}) {
  return (
    <>
      <p className="breadcrumb">
        <Link to="/organizer">Your events</Link>
        {crumb && event && (
          <>
            {' › '}
            <Link to={`/organizer/events/${event.id}`}>{event.title}</Link>
          </>
        )}
      </p>
      <div className="title-row title-row-start">
        <h1>{heading}</h1>
        {event && <StatusBadge status={event.status} />}
      </div>
    </>
  );
}
