export { NotificationBell } from './components/notification-bell';
export { NotificationInbox } from './components/notification-inbox';
