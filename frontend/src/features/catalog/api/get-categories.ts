import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { CategoryNode } from '../types';

export function getCategories(signal?: AbortSignal): Promise<CategoryNode[]> {
  return api.get<CategoryNode[]>('/catalog/categories/', { signal });
}

export const getCategoriesQueryOptions = () =>
  queryOptions({
    queryKey: ['catalog', 'categories'],
    queryFn: ({ signal }) => getCategories(signal),
    staleTime: 5 * 60_000,
  });

export function useCategories() {
  return useQuery(getCategoriesQueryOptions());
}
