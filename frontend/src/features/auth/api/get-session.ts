import { queryOptions, useQuery } from '@tanstack/react-query';

import { getAccessToken } from '@/lib/access-token';
import { api, isApiError, refreshSession } from '@/lib/api-client';
import { mightHaveSession } from '@/lib/session-hint';

import type { LoginResult, User } from '../types';

export const sessionQueryKey = ['auth', 'session'] as const;

/**
 * The signed-in user, or `null` for a visitor. With a token in memory it asks
 * `/auth/me`; after a reload (no token) it tries a silent refresh with the
 * HttpOnly cookie, which answers the user along with a new access token, but
 * only when this browser has had a session (see lib/session-hint.ts).
 */
export async function getSession(): Promise<User | null> {
  if (getAccessToken()) {
    try {
      return await api.get<User>('/auth/me');
    } catch (error) {
      if (isApiError(error) && error.status === 401) return null;
      throw error;
    }
  }
  if (!mightHaveSession()) return null;
  const result = (await refreshSession()) as LoginResult | null;
  return result?.user ?? null;
}

export const getSessionQueryOptions = () =>
  queryOptions({
    queryKey: sessionQueryKey,
    queryFn: getSession,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });

export function useSession() {
  return useQuery(getSessionQueryOptions());
}

/** The signed-in user or null; undefined while the session is being restored. */
export function useUser(): User | null | undefined {
  return useSession().data;
}
