import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { NotificationPage } from '../types';

export const NOTIFICATIONS_POLL_MS = 30_000;

export function getNotifications(page: number, signal?: AbortSignal): Promise<NotificationPage> {
  return api.get<NotificationPage>('/notifications/', { params: { page }, signal });
}

export const getNotificationsQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ['notifications', 'list', page],
    queryFn: ({ signal }) => getNotifications(page, signal),
    placeholderData: keepPreviousData,
    refetchInterval: NOTIFICATIONS_POLL_MS,
  });

export function useNotifications(page: number) {
  return useQuery(getNotificationsQueryOptions(page));
}
