import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { UnreadCount } from '../types';

/** How often the bell asks for news; events arrive asynchronously, so polling is enough. */
export const UNREAD_POLL_MS = 15_000;

export const unreadCountQueryKey = ['notifications', 'unread-count'] as const;

export function getUnreadCount(signal?: AbortSignal): Promise<UnreadCount> {
  return api.get<UnreadCount>('/notifications/unread-count/', { signal });
}

export const getUnreadCountQueryOptions = () =>
  queryOptions({
    queryKey: unreadCountQueryKey,
    queryFn: ({ signal }) => getUnreadCount(signal),
    refetchInterval: UNREAD_POLL_MS,
    staleTime: 0,
  });

export function useUnreadCount({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getUnreadCountQueryOptions(), enabled });
}
