import { NotificationInbox } from '@/features/notifications';
import { useDocumentTitle } from '@/lib/use-document-title';

export function NotificationsRoute() {
  useDocumentTitle('Notifications');
  return (
    <div className="page page--narrow">
      <h1>Notifications</h1>
      <NotificationInbox />
    </div>
  );
}
