import { QueryClient, type DefaultOptions } from '@tanstack/react-query';

import { isApiError, NETWORK_ERROR_STATUS } from './api-client';

/** Client errors (4xx) will not change on a retry; network trouble and 5xx may. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return true;
  if (error.status === NETWORK_ERROR_STATUS) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

export const queryConfig = {
  queries: {
    staleTime: 30_000,
    retry: shouldRetry,
    refetchOnWindowFocus: true,
  },
  mutations: {
    retry: false,
  },
} satisfies DefaultOptions;

export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { ...queryConfig.queries, ...overrides.queries },
      mutations: { ...queryConfig.mutations, ...overrides.mutations },
    },
  });
}

/**
 * Query keys start with the name of the feature that owns them. Catalog data
 * is the same for every visitor; the session query is replaced, not removed,
 * so that mounted components see the change. Everything else belongs to the
 * user who was signed in and must not be shown to the next one.
 */
const KEPT_ACROSS_SESSIONS = new Set(['auth', 'catalog']);

export function removeSessionQueries(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => !KEPT_ACROSS_SESSIONS.has(String(query.queryKey[0])) });
}
