import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AdminOrderPage, AdminOrderStatus } from '../types';

export type AdminOrderListParams = { page?: number; status?: AdminOrderStatus };

export function getAdminOrders(params: AdminOrderListParams, signal?: AbortSignal): Promise<AdminOrderPage> {
  return api.get<AdminOrderPage>('/orders/admin/orders/', { params, signal });
}

export const getAdminOrdersQueryOptions = (params: AdminOrderListParams) =>
  queryOptions({
    queryKey: ['admin', 'orders', 'list', params],
    queryFn: ({ signal }) => getAdminOrders(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

export function useAdminOrders(params: AdminOrderListParams) {
  return useQuery(getAdminOrdersQueryOptions(params));
}
