import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AdminCategoryNode } from '../types';

export function getAdminCategories(signal?: AbortSignal): Promise<AdminCategoryNode[]> {
  return api.get<AdminCategoryNode[]>('/catalog/categories/', { signal });
}

export const getAdminCategoriesQueryOptions = () =>
  queryOptions({
    queryKey: ['admin', 'categories'],
    queryFn: ({ signal }) => getAdminCategories(signal),
    staleTime: 5 * 60_000,
  });

export function useAdminCategories() {
  return useQuery(getAdminCategoriesQueryOptions());
}
