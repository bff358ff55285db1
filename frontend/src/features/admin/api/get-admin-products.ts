import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AdminProductListParams, AdminProductPage } from '../types';

export function getAdminProducts(params: AdminProductListParams, signal?: AbortSignal): Promise<AdminProductPage> {
  return api.get<AdminProductPage>('/catalog/admin/products/', { params, signal });
}

export const getAdminProductsQueryOptions = (params: AdminProductListParams) =>
  queryOptions({
    queryKey: ['admin', 'products', 'list', params],
    queryFn: ({ signal }) => getAdminProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export function useAdminProducts(params: AdminProductListParams) {
  return useQuery(getAdminProductsQueryOptions(params));
}
