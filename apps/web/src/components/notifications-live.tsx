// One live notifications stream per tab, shared by the header's bell and the notifications page.
// The bell (always in the header while signed in) follows the stream; whoever else wants the new
// notifications or the unread count subscribes here, so no second stream is opened and no provider
// has to be mounted above the router.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { api, data, type Schemas } from '../api/client';
import { useAuthorizedStream } from '../live/streams';

export type NotificationView = Schemas['NotificationResponse'];

type Arrival = (notification: NotificationView) => void;

const arrivals = new Set<Arrival>();
const countWatchers = new Set<() => void>();
let unread: number | undefined;
/** Only the newest count request may set the count: an older answer can arrive after a newer one. */
let countRequest = 0;
let countTimer: ReturnType<typeof setTimeout> | undefined;

function setUnread(value: number | undefined): void {
  if (value === unread) return;
  unread = value;
  countWatchers.forEach((watcher) => watcher());
}

async function fetchUnreadCount(): Promise<void> {
  const request = ++countRequest;
  try {
    const answer = await data(api.GET('/v1/me/notifications/unread-count'));
    if (request === countRequest) setUnread(answer.unread);
  } catch {
    // The count is a hint: keep the last one; the next notification or focus asks again.
  }
}

/**
 * Asks the server for the unread count soon. Counting on the server (rather than adding 1 per frame)
 * keeps the bell right when another tab marks notifications read or a frame is resent after a reconnect.
 */
export function refreshUnreadCount(delayMs = 150): void {
  clearTimeout(countTimer);
  countTimer = setTimeout(() => void fetchUnreadCount(), delayMs);
}

/** After marking `count` notifications read here: show it at once, then confirm with the server. */
export function noteMarkedRead(count: number | 'all'): void {
  if (unread !== undefined) setUnread(count === 'all' ? 0 : Math.max(0, unread - count));
  refreshUnreadCount(400);
}

/** The unread count (undefined until the first answer). */
export function useUnreadCount(): number | undefined {
  return useSyncExternalStore(
    (watcher) => {
      countWatchers.add(watcher);
      return () => countWatchers.delete(watcher);
    },
    () => unread,
  );
}

/** Calls `onArrival` for each notification the live stream delivers while mounted. */
export function useNotificationArrivals(onArrival: Arrival): void {
  const handler = useRef(onArrival);
  useEffect(() => {
    handler.current = onArrival;
  });
  useEffect(() => {
    const listener: Arrival = (notification) => handler.current(notification);
    arrivals.add(listener);
    return () => {
      arrivals.delete(listener);
    };
  }, []);
}

/**
 * Follows the signed-in user's notification stream and keeps the unread count fresh. Mount it once per
 * tab (the bell does), keyed by user, so signing in as someone else starts afresh.
 */
export function useNotificationFeed(onArrival?: Arrival): void {
  const handler = useRef(onArrival);
  useEffect(() => {
    handler.current = onArrival;
  });

  useEffect(() => {
    setUnread(undefined);
    void fetchUnreadCount();
    // Another tab (or the phone) may have read them: check when the user comes back to this one.
    const onVisible = () => {
      if (document.visibilityState === 'visible') refreshUnreadCount(0);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(countTimer);
      countRequest++;
    };
  }, []);

  useAuthorizedStream('/v1/me/notifications/stream', (event, payload) => {
    if (event !== 'notification') return;
    const notification = payload as NotificationView;
    handler.current?.(notification);
    arrivals.forEach((arrival) => arrival(notification));
    refreshUnreadCount();
  });
}
