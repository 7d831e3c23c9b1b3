// One event, live: seat figures follow the availability stream; check-ins (which the stream does not
// carry) are re-read on each change and every few seconds while the tab is visible; the chart is
// rebuilt from the attendee list.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { api, data, type EventView, type Schemas } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { Loading, ProblemAlert } from '../../components/ui';
import { formatEventTime, formatRelative } from '../../lib/format';
import { usePublicStream } from '../../live/streams';
import { useSession } from '../../session/session';
import { ActivityChart } from './ActivityChart';
import { buildActivity } from './activity';
import { EventActions } from './EventActions';
import {
  EventSubnav,
  fetchAllAttendees,
  hasEnded,
  NotOrganizer,
  useEvent,
  useWhileVisible,
  type Attendee,
  EventPageHeading,
} from './organizer-common';
import './organizer.css';

type Availability = Schemas['AvailabilityResponse'];

/** Check-ins are read this often while the dashboard is on screen. */
const CHECK_IN_POLL_MS = 5_000;
/** The full attendee list (for the chart) at most this often, besides after each seat change. */
const ATTENDEES_POLL_MS = 30_000;

export function DashboardPage() {
  const { eventId = '' } = useParams();
  const { isOrganizer, isAdmin } = useSession();
  const loaded = useEvent(eventId);
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;

  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Event dashboard" />;
  if (loaded.loading && !loaded.data) return <Loading label="Loading the event…" />;
  if (!loaded.data)
    return (
      <section className="page">
        <h1>Event dashboard</h1>
        <ProblemAlert problem={loaded.problem} onRetry={loaded.reload} />
      </section>
    );
  return <Dashboard event={loaded.data} onEvent={loaded.setData} notice={notice} />;
}

function Dashboard({ event, onEvent, notice }: { event: EventView; onEvent(e: EventView): void; notice?: string }) {
  const live = event.status === 'published';
  const [availability, setAvailability] = useState<Availability>();
  const [availabilityProblem, setAvailabilityProblem] = useState<ApiProblem>();
  const [checkedIn, setCheckedIn] = useState<Attendee[]>();
  const [attendees, setAttendees] = useState<Attendee[]>();
  const [attendeesProblem, setAttendeesProblem] = useState<ApiProblem>();
  const [updatedAt, setUpdatedAt] = useState<number>();
  const [announcement, setAnnouncement] = useState('');
  const previous = useRef<{ confirmed?: number; waitlisted?: number; checkedIn?: number }>({});

  // Seats: one read now, then the stream (it also sends the current figures when it connects).
  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    data(
      api.GET('/v1/events/{id}/availability', { params: { path: { id: event.id } }, signal: controller.signal }),
    ).then(setAvailability, (error) => {
      if (!controller.signal.aborted) setAvailabilityProblem(asProblem(error));
    });
    return () => controller.abort();
  }, [event.id, live]);
  usePublicStream<Availability>(
    live ? `/v1/events/${event.id}/availability/stream` : undefined,
    'availability',
    (next) => {
      setAvailability(next);
      setAvailabilityProblem(undefined);
    },
  );

  const readCheckIns = useCallback(async () => {
    try {
      setCheckedIn(await fetchAllAttendees(event.id, { checkedIn: true }));
      setUpdatedAt(Date.now());
    } catch (error) {
      setAttendeesProblem(asProblem(error));
    }
  }, [event.id]);
  const readAttendees = useCallback(async () => {
    try {
      const all = await fetchAllAttendees(event.id, {});
      setAttendees(all);
      setCheckedIn(all.filter((a) => a.checkedInAt));
      setAttendeesProblem(undefined);
      setUpdatedAt(Date.now());
    } catch (error) {
      setAttendeesProblem(asProblem(error));
    }
  }, [event.id]);

  useEffect(() => {
    if (event.status !== 'draft') void readAttendees();
  }, [readAttendees, event.status]);
  // Every seat change is a registration, a cancellation or a promotion: the list (and chart) changed.
  // Several in a burst are read once.
  const seatKey = availability ? `${availability.confirmed}/${availability.waitlisted}/${availability.capacity}` : '';
  useEffect(() => {
    if (!seatKey) return;
    const timer = setTimeout(() => void readAttendees(), 800);
    return () => clearTimeout(timer);
  }, [seatKey, readAttendees]);
  useWhileVisible(() => void readCheckIns(), CHECK_IN_POLL_MS, live);
  useWhileVisible(() => void readAttendees(), ATTENDEES_POLL_MS, live);

  const confirmed = availability?.confirmed ?? event.confirmedCount;
  const waitlisted = availability?.waitlisted ?? event.waitlistedCount;
  const capacity = availability?.capacity ?? event.capacity;
  const seatsLeft = availability?.seatsLeft ?? event.seatsLeft;
  const checkedInCount = checkedIn?.length;

  // Say what changed, once, in words (the figures themselves are not a live region: a screen reader
  // would read "38" without saying of what).
  useEffect(() => {
    const before = previous.current;
    const changes: string[] = [];
    if (before.confirmed !== undefined && confirmed !== undefined && before.confirmed !== confirmed)
      changes.push(`${confirmed} of ${capacity} seats confirmed`);
    if (before.waitlisted !== undefined && waitlisted !== undefined && before.waitlisted !== waitlisted)
      changes.push(`${waitlisted} waitlisted`);
    if (before.checkedIn !== undefined && checkedInCount !== undefined && before.checkedIn !== checkedInCount)
      changes.push(`${checkedInCount} checked in`);
    previous.current = { confirmed, waitlisted, checkedIn: checkedInCount };
    if (changes.length) setAnnouncement(`Now ${changes.join(', ')}.`);
  }, [confirmed, waitlisted, checkedInCount, capacity]);

  const activity = useMemo(() => {
    if (!attendees) return undefined;
    // Check-ins come from the fresher list when it is ahead of the full one.
    const byId = new Map(checkedIn?.map((a) => [a.registrationId, a.checkedInAt]));
    const merged = attendees.map((a) => ({ ...a, checkedInAt: a.checkedInAt ?? byId.get(a.registrationId) }));
    return buildActivity(merged, Math.min(Date.now(), Date.parse(event.endsAt)));
    // updatedAt: "until now" moves on with each refresh.
  }, [attendees, checkedIn, event.endsAt, updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const ended = hasEnded(event);

  return (
    <section className="page dashboard stack">
      <EventPageHeading event={event} heading={event.title} crumb={false} />
      <p className="muted">
        {formatEventTime(event.startsAt, event.endsAt, event.timezone)}
        {event.venue ? ` · ${event.venue.name}` : event.onlineUrl ? ' · Online' : ''}
        {event.visibility === 'unlisted' ? ' · Unlisted' : ''}
      </p>
      <EventSubnav eventId={event.id} />
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      <EventActions event={event} onChange={onEvent} />

      {event.status === 'draft' && (
        <div className="alert alert-info">
          <strong>This is a draft.</strong>
          <p>
            Nobody can see or register for it until you publish it. Capacity: {event.capacity}{' '}
            {event.capacity === 1 ? 'seat' : 'seats'}
            {event.waitlistEnabled ? ', with a waitlist' : ', no waitlist'}.
          </p>
        </div>
      )}

      {event.status === 'published' && (
        <section aria-labelledby="figures-title" className="stack">
          <div className="title-row">
            <h2 id="figures-title">
              {live && !ended ? 'Live figures' : 'Figures'}
              {live && !ended && (
                <span className="live-dot" aria-hidden="true">
                  ●
                </span>
              )}
            </h2>
            {updatedAt && (
              <p className="muted small">
                Check-ins updated{' '}
                <time dateTime={new Date(updatedAt).toISOString()}>
                  {formatRelative(new Date(updatedAt).toISOString())}
                </time>
              </p>
            )}
          </div>
          <ProblemAlert problem={availabilityProblem} />
          <dl className="stats">
            <div className="stat">
              <dt>Confirmed</dt>
              <dd>
                <span className="stat-value" data-testid="stat-confirmed">
                  {confirmed ?? '–'}
                </span>
                <span className="stat-of">
                  {' '}
                  / <span data-testid="stat-capacity">{capacity}</span>
                </span>
                {confirmed !== undefined && capacity > 0 && (
                  <meter className="stat-meter" min={0} max={capacity} value={confirmed} aria-label="Seats filled" />
                )}
              </dd>
            </div>
            <div className="stat">
              <dt>Waitlisted</dt>
              <dd>
                <span className="stat-value" data-testid="stat-waitlisted">
                  {waitlisted ?? '–'}
                </span>
                {!event.waitlistEnabled && <span className="stat-note muted small">Waitlist off</span>}
              </dd>
            </div>
            <div className="stat">
              <dt>Checked in</dt>
              <dd>
                <span className="stat-value" data-testid="stat-checked-in">
                  {checkedInCount ?? '–'}
                </span>
                {confirmed !== undefined && <span className="stat-of"> of {confirmed}</span>}
              </dd>
            </div>
            <div className="stat">
              <dt>Seats left</dt>
              <dd>
                <span className="stat-value" data-testid="stat-seats-left">
                  {seatsLeft ?? '–'}
                </span>
                {seatsLeft === 0 && <span className="stat-note small">Sold out</span>}
              </dd>
            </div>
          </dl>
          <p className="visually-hidden" aria-live="polite" aria-atomic="true">
            {announcement}
          </p>
        </section>
      )}

      {event.status !== 'draft' && (
        <section aria-labelledby="activity-title" className="card stack">
          <h2 id="activity-title">Activity</h2>
          <ProblemAlert problem={attendeesProblem} onRetry={() => void readAttendees()} />
          {!attendees && !attendeesProblem && <Loading label="Loading registrations…" />}
          {attendees && !activity && (
            <p className="empty">No registrations yet: the chart starts with the first one.</p>
          )}
          {activity && <ActivityChart activity={activity} />}
        </section>
      )}
    </section>
  );
}
