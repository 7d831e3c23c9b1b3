import { useState } from 'react';
import { NavLink } from 'react-router';
import { useSession } from '../session/session';
import { useNotificationFeed, useUnreadCount } from './notifications-live';
import './notification-bell.css';

/** The header's link to the notifications, with the unread count kept live. */
export function NotificationBell() {
  const { user } = useSession();
  if (!user) return null;
  // Keyed: another user signing in in this tab gets their own stream and count.
  return <Bell key={user.id} />;
}

function Bell() {
  const [announcement, setAnnouncement] = useState('');
  useNotificationFeed((notification) => setAnnouncement(`New notification: ${notification.title}`));
  const unread = useUnreadCount();
  const count = unread ?? 0;
  const shown = count > 99 ? '99+' : String(count);

  return (
    <>
      <NavLink
        to="/notifications"
        className={count > 0 ? 'bell bell-unread' : 'bell'}
        aria-label={`Notifications, ${count} unread`}
        data-testid="notification-bell"
      >
        <svg className="bell-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
            fill="currentColor"
          />
        </svg>
        {count > 0 && (
          <span className="bell-count" aria-hidden="true">
            {shown}
          </span>
        )}
      </NavLink>
      <span className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </span>
    </>
  );
}
