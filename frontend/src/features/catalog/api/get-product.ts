import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { ProductDetail } from '../types';

/** `idOrSlug`: the catalog answers both /products/42/ and /products/blue-mug/. */
export function getProduct(idOrSlug: string, signal?: AbortSignal): Promise<ProductDetail> {
  return api.get<ProductDetail>(`/catalog/products/${encodeURIComponent(idOrSlug)}/`, { signal });
}

export const getProductQueryOptions = (idOrSlug: string) =>
  queryOptions({
    queryKey: ['catalog', 'product', idOrSlug],
    queryFn: ({ signal }) => getProduct(idOrSlug, signal),
  });

export function useProduct(idOrSlug: string) {
  return useQuery(getProductQueryOptions(idOrSlug));
}
