import { useState } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import {
  noteMarkedRead,
  useNotificationArrivals,
  useUnreadCount,
  type NotificationView,
} from '../../components/notifications-live';
import { EmptyState, Loading, ProblemAlert, LoadMore } from '../../components/ui';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { plural } from './attendee-lib';
import './attendee.css';

const PAGE_SIZE = 20;

export function NotificationsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const first = useApi(
    (signal) =>
      data(
        api.GET('/v1/me/notifications', {
          params: { query: { limit: PAGE_SIZE, unread: unreadOnly || undefined } },
          signal,
        }),
      ),
    [unreadOnly],
  );
  const [more, setMore] = useState<{ filter: boolean; items: NotificationView[]; nextCursor?: string }>();
  const [live, setLive] = useState<NotificationView[]>([]);
  /** Read here (one by one or all at once) since the pages were loaded. */
  const [readHere, setReadHere] = useState<Record<string, string>>({});
  const [allReadAt, setAllReadAt] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState<string>();
  const [status, setStatus] = useState('');
  const unread = useUnreadCount();

  // New ones from the header's stream go on top; the stream never resends one, but a page may hold it.
  useNotificationArrivals((notification) =>
    setLive((current) => (current.some((n) => n.id === notification.id) ? current : [notification, ...current])),
  );

  const extra = more?.filter === unreadOnly ? more : undefined;
  const nextCursor = extra ? extra.nextCursor : first.data?.nextCursor;
  const seen = new Set<string>();
  const items = [...live, ...(first.data?.items ?? []), ...(extra?.items ?? [])]
    .filter((n) => !seen.has(n.id) && seen.add(n.id))
    .map((n) => {
      const readAt = n.readAt ?? readHere[n.id] ?? (allReadAt && n.createdAt <= allReadAt ? allReadAt : null);
      return readAt === n.readAt ? n : { ...n, readAt };
    });
  const unreadShown = items.filter((n) => !n.readAt).length;

  const markRead = async (notification: NotificationView, quiet = false) => {
    if (notification.readAt) return;
    setBusy(notification.id);
    setProblem(undefined);
    try {
      const read = await data(
        api.POST('/v1/me/notifications/{id}/read', { params: { path: { id: notification.id } } }),
      );
      setReadHere((current) => ({ ...current, [read.id]: read.readAt ?? new Date().toISOString() }));
      noteMarkedRead(1);
      if (!quiet) setStatus(`Marked read: ${notification.title}`);
    } catch (error) {
      if (!quiet) setProblem(asProblem(error));
    } finally {
      setBusy(undefined);
    }
  };

  const markAll = async () => {
    setBusy('all');
    setProblem(undefined);
    try {
      const answer = await data(api.POST('/v1/me/notifications/read-all'));
      setAllReadAt(new Date().toISOString());
      noteMarkedRead('all');
      setStatus(
        answer.marked === 0 ? 'Everything was already read.' : `Marked ${plural(answer.marked, 'notification')} read.`,
      );
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(undefined);
    }
  };

  const loadMore = async () => {
    if (!nextCursor) return;
    setBusy('more');
    setProblem(undefined);
    try {
      const page = await data(
        api.GET('/v1/me/notifications', {
          params: { query: { limit: PAGE_SIZE, unread: unreadOnly || undefined, cursor: nextCursor } },
        }),
      );
      setMore({ filter: unreadOnly, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="att-notifications">
      <h1>Notifications</h1>
      <div className="att-notif-toolbar">
        <p className="att-notif-summary" aria-live="polite">
          {unread === undefined ? '' : unread === 0 ? 'You are all caught up.' : `${unread} unread`}
        </p>
        <label className="att-check">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => {
              setUnreadOnly(e.target.checked);
              setLive([]);
            }}
          />
          Unread only
        </label>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy === 'all' || (unread === 0 && unreadShown === 0)}
          onClick={() => void markAll()}
        >
          {busy === 'all' ? 'Marking…' : 'Mark all read'}
        </button>
      </div>
      <p role="status" className="att-status">
        {status}
      </p>
      <ProblemAlert problem={problem} />

      {first.loading && !first.data && <Loading label="Loading notifications…" />}
      <ProblemAlert problem={first.problem} onRetry={first.reload} />
      {first.data && items.length === 0 && (
        <EmptyState>
          {unreadOnly
            ? 'No unread notifications.'
            : 'Nothing yet. When you register for an event, confirmations, waitlist news and reminders appear here.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="att-notif-list">
          {items.map((n) => (
            <li key={n.id}>
              <NotificationItem
                notification={n}
                busy={busy === n.id}
                onRead={() => void markRead(n)}
                onOpen={() => void markRead(n, true)}
              />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={!!nextCursor}
        loading={busy === 'more'}
        onLoad={() => void loadMore()}
        label="Load older notifications"
      />
    </section>
  );
}

/** A path inside this app, from the notification's link or its event. */
function linkOf(notification: NotificationView): string | undefined {
  if (notification.link?.startsWith('/') && !notification.link.startsWith('//')) return notification.link;
  return notification.eventId ? `/events/${notification.eventId}` : undefined;
}

function NotificationItem({
  notification,
  busy,
  onRead,
  onOpen,
}: {
  notification: NotificationView;
  busy: boolean;
  onRead(): void;
  onOpen(): void;
}) {
  const unread = !notification.readAt;
  const link = linkOf(notification);
  return (
    <article
      className={unread ? 'card att-notif att-notif-unread' : 'card att-notif'}
      aria-label={`${unread ? 'Unread: ' : ''}${notification.title}`}
      data-testid="notification"
      data-kind={notification.kind}
    >
      <div className="att-notif-main">
        <p className="att-notif-head">
          {unread && <span className="badge att-notif-badge">Unread</span>}
          <span className="att-notif-title">{notification.title}</span>
        </p>
        {notification.body && <p className="att-notif-body">{notification.body}</p>}
        <p className="att-notif-meta">
          <time dateTime={notification.createdAt} title={formatDateTime(notification.createdAt)}>
            {formatRelative(notification.createdAt)}
          </time>
        </p>
      </div>
      <div className="att-notif-actions">
        {link && (
          <Link to={link} className="button button-secondary" onClick={onOpen}>
            {link.startsWith('/events/') ? 'View event' : 'Open'}
            <span className="visually-hidden">: {notification.title}</span>
          </Link>
        )}
        {unread && (
          <button type="button" className="button button-quiet" disabled={busy} onClick={onRead}>
            Mark read<span className="visually-hidden">: {notification.title}</span>
          </button>
        )}
      </div>
    </article>
  );
}
