import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AdminProduct } from '../types';

export const adminProductQueryKey = (id: number) => ['admin', 'products', 'detail', id] as const;

export function getAdminProduct(id: number, signal?: AbortSignal): Promise<AdminProduct> {
  return api.get<AdminProduct>(`/catalog/admin/products/${id}/`, { signal });
}

export const getAdminProductQueryOptions = (id: number) =>
  queryOptions({
    queryKey: adminProductQueryKey(id),
    queryFn: ({ signal }) => getAdminProduct(id, signal),
  });

export function useAdminProduct(id: number) {
  return useQuery(getAdminProductQueryOptions(id));
}
