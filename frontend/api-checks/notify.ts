/** The notification calls of the SPA against notify-flask's OpenAPI. */
import type { Notification, NotificationPage, UnreadCount } from '@/features/notifications/types';
import type { paths } from '@/lib/api-schema/notify';

import type { Conforms, ResponseOf } from './contract';

export type Inbox = Conforms<ResponseOf<paths, '/api/notifications/', 'get'>, NotificationPage>;
export type Unread = Conforms<ResponseOf<paths, '/api/notifications/unread-count/', 'get'>, UnreadCount>;
export type MarkedRead = Conforms<ResponseOf<paths, '/api/notifications/{notification_id}/read/', 'post'>, Notification>;
