import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { OrderPage } from '../types';

export function getOrders(page: number, signal?: AbortSignal): Promise<OrderPage> {
  return api.get<OrderPage>('/orders/', { params: { page }, signal });
}

export const getOrdersQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ['orders', 'list', page],
    queryFn: ({ signal }) => getOrders(page, signal),
    placeholderData: keepPreviousData,
  });

export function useOrders(page: number) {
  return useQuery(getOrdersQueryOptions(page));
}
