import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/**
 * Why the last session ended when the user did not log out: the login page
 * says so ("Your session has expired"), whichever route sent the user there.
 * Held in the query cache (never fetched) so every component sees changes.
 */
export type SessionEnd = 'expired' | 'password-changed' | null;

export const sessionEndedQueryKey = ['auth', 'session-ended'] as const;

export function useSessionEnded(): SessionEnd {
  const { data } = useQuery<SessionEnd>({
    queryKey: sessionEndedQueryKey,
    queryFn: () => null,
    initialData: null,
    staleTime: Infinity,
  });
  return data;
}

export function useSetSessionEnded() {
  const queryClient = useQueryClient();
  return useCallback((reason: SessionEnd) => queryClient.setQueryData(sessionEndedQueryKey, reason), [queryClient]);
}
