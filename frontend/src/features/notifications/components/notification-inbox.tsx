import { Link, useSearchParams } from 'react-router';

import { Button, EmptyState, ErrorMessage, Pagination, Spinner } from '@/components/ui';
import { formatDateTime } from '@/lib/format';

import { useNotifications } from '../api/get-notifications';
import { useMarkAllNotificationsRead } from '../api/mark-all-notifications-read';
import { useMarkNotificationRead } from '../api/mark-notification-read';
import type { Notification } from '../types';

function isInternalLink(link: string | null): link is string {
  return Boolean(link && link.startsWith('/') && !link.startsWith('//'));
}

function NotificationItem({ notification }: { notification: Notification }) {
  const markRead = useMarkNotificationRead();
  const unread = notification.read_at === null;
  return (
    <li className={`notification${unread ? ' notification--unread' : ''}`}>
      <div className="notification__body">
        <p className="notification__title">
          {unread ? <span className="visually-hidden">Unread: </span> : null}
          {isInternalLink(notification.link) ? (
            <Link to={notification.link} onClick={() => unread && markRead.mutate(notification.id)}>
              {notification.title}
            </Link>
          ) : (
            notification.title
          )}
        </p>
        <p>{notification.body}</p>
        <p className="muted">
          <time dateTime={notification.created_at}>{formatDateTime(notification.created_at)}</time>
        </p>
      </div>
      {unread ? (
        <Button
          variant="ghost"
          size="sm"
          isLoading={markRead.isPending}
          onClick={() => markRead.mutate(notification.id)}
          // The visible words come first (WCAG 2.5.3, label in name): "Mark as read" works for voice control.
          aria-label={`Mark as read: ${notification.title}`}
        >
          Mark as read
        </Button>
      ) : null}
    </li>
  );
}

export function NotificationInbox() {
  const [searchParams] = useSearchParams();
  const requested = Number(searchParams.get('page'));
  const page = Number.isInteger(requested) && requested > 1 ? requested : 1;
  const notificationsQuery = useNotifications(page);
  const markAll = useMarkAllNotificationsRead();

  if (notificationsQuery.isPending) return <Spinner label="Loading notifications…" />;
  if (notificationsQuery.isError) {
    return (
      <ErrorMessage
        error={notificationsQuery.error}
        title="Notifications could not be loaded"
        onRetry={() => void notificationsQuery.refetch()}
      />
    );
  }
  const data = notificationsQuery.data;
  if (data.results.length === 0) {
    return <EmptyState title="No notifications yet">News about your orders will appear here.</EmptyState>;
  }
  return (
    <>
      <div className="toolbar">
        {markAll.isError ? <ErrorMessage error={markAll.error} title="Could not mark all as read" /> : null}
        <Button variant="secondary" size="sm" onClick={() => markAll.mutate()} isLoading={markAll.isPending}>
          Mark all as read
        </Button>
      </div>
      <ul className="notification-list" aria-label="Notifications">
        {data.results.map((notification) => (
          <NotificationItem key={notification.id} notification={notification} />
        ))}
      </ul>
      <Pagination
        page={data.page}
        totalPages={data.total_pages}
        hrefFor={(p) => (p > 1 ? `/notifications?page=${p}` : '/notifications')}
        label="Notification pages"
      />
    </>
  );
}
