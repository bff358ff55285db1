import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Order } from '../types';

export const orderQueryKey = (id: string) => ['orders', 'detail', id] as const;

export function getOrder(id: string, signal?: AbortSignal): Promise<Order> {
  return api.get<Order>(`/orders/${encodeURIComponent(id)}/`, { signal });
}

export const getOrderQueryOptions = (id: string) =>
  queryOptions({
    queryKey: orderQueryKey(id),
    queryFn: ({ signal }) => getOrder(id, signal),
    // The status moves on its own (payment, shipping): look again now and then.
    refetchInterval: 30_000,
  });

export function useOrder(id: string) {
  return useQuery(getOrderQueryOptions(id));
}
