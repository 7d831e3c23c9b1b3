// The organizer's own events in every state, newest plans first as the API orders them (by start).
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { EmptyState, Loading, ProblemAlert, LoadMore } from '../../components/ui';
import { formatEventTime } from '../../lib/format';
import { useSession } from '../../session/session';
import { usePagedList } from '../../lib/use-paged-list';
import { hasEnded, NotOrganizer, StatusBadge } from './organizer-common';
import './organizer.css';

export function OrganizerHomePage() {
  const { isOrganizer, isAdmin } = useSession();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Organize events" />;
  return <MyEvents />;
}

function MyEvents() {
  const list = usePagedList(
    (cursor, signal) => data(api.GET('/v1/me/events', { params: { query: { limit: 20, cursor } }, signal })),
    [],
  );

  return (
    <section className="page stack">
      <div className="title-row">
        <h1>Your events</h1>
        <div className="row">
          <Link className="button" to="/organizer/events/new">
            Create event
          </Link>
          <Link className="button button-secondary" to="/organizer/webhooks">
            Webhooks
          </Link>
        </div>
      </div>
      <ProblemAlert problem={list.problem} onRetry={list.items.length ? undefined : list.reset} />
      {list.loading ? (
        <Loading label="Loading your events…" />
      ) : list.items.length === 0 && !list.problem ? (
        <div className="card stack">
          <EmptyState>You have no events yet.</EmptyState>
          <p>Create one: it stays a draft, visible only to you, until you publish it.</p>
        </div>
      ) : (
        <ul className="event-list" aria-label="Your events">
          {list.items.map((event) => {
            const ended = hasEnded(event);
            return (
              <li key={event.id} className="card event-row">
                <div className="event-row-main">
                  <h2>
                    <Link to={`/organizer/events/${event.id}`}>{event.title}</Link>
                  </h2>
                  <p className="muted">{formatEventTime(event.startsAt, event.endsAt, event.timezone)}</p>
                  <p className="row">
                    <StatusBadge status={event.status} />
                    {ended && event.status !== 'cancelled' && <span className="badge">Ended</span>}
                    {event.visibility === 'unlisted' && <span className="badge">Unlisted</span>}
                    {event.status === 'published' && (
                      <span>
                        {event.confirmedCount ?? 0} / {event.capacity} confirmed
                        {event.waitlistedCount ? `, ${event.waitlistedCount} waitlisted` : ''}
                      </span>
                    )}
                    {event.status === 'draft' && <span className="muted">{event.capacity} seats</span>}
                  </p>
                </div>
                <div className="event-row-links row">
                  <Link to={`/organizer/events/${event.id}`} aria-label={`Dashboard: ${event.title}`}>
                    Dashboard
                  </Link>
                  {event.status !== 'cancelled' && !ended && (
                    <Link to={`/organizer/events/${event.id}/edit`} aria-label={`Edit: ${event.title}`}>
                      Edit
                    </Link>
                  )}
                  {event.status === 'published' && (
                    <Link to={`/door/${event.id}`} aria-label={`Door check-in: ${event.title}`}>
                      Check-in
                    </Link>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <LoadMore
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoad={() => void list.loadMore()}
        label="Load more events"
      />
    </section>
  );
}
