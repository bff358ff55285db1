import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { ProductListParams, ProductPage } from '../types';

export function getProducts(params: ProductListParams, signal?: AbortSignal): Promise<ProductPage> {
  return api.get<ProductPage>('/catalog/products/', { params, signal });
}

export const getProductsQueryOptions = (params: ProductListParams) =>
  queryOptions({
    queryKey: ['catalog', 'products', params],
    queryFn: ({ signal }) => getProducts(params, signal),
    // Keep the current grid on screen while the next page or filter loads.
    placeholderData: keepPreviousData,
  });

export function useProducts(params: ProductListParams) {
  return useQuery(getProductsQueryOptions(params));
}
