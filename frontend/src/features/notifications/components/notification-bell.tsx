import { NavLink } from 'react-router';

import { useUnreadCount } from '../api/get-unread-count';

/** The header's bell: links to the inbox and shows the unread count, polled. */
export function NotificationBell() {
  const unreadQuery = useUnreadCount();
  const unread = unreadQuery.data?.unread ?? 0;
  const label = unread ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <NavLink to="/notifications" className="header-icon" aria-label={label}>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread > 0 ? (
        <span className="header-icon__count" data-testid="unread-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
