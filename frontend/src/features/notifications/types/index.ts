import type { Paginated, Timestamp } from '@/lib/api-types';

export type Notification = {
  id: number;
  type: string;
  title: string;
  body: string;
  /** A path inside the shop, e.g. /orders/<id>, or null. */
  link: string | null;
  created_at: Timestamp;
  read_at: Timestamp | null;
};

export type NotificationPage = Paginated<Notification>;

export type UnreadCount = { unread: number };
