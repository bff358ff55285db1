import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { subscribeToSession } from '@/lib/api-client';
import { removeSessionQueries } from '@/lib/react-query';

import { sessionEndedQueryKey } from '../api/get-session-ended';
import { sessionQueryKey } from '../api/get-session';
import type { LoginResult } from '../types';

/**
 * Keeps the cached user in step with what the API client learns on its own:
 * a silent refresh brings the current user, an expired session ends it.
 * `onExpired` decides where to send the user (the app sends them to log in).
 */
export function useSessionEvents(onExpired: () => void): void {
  const queryClient = useQueryClient();
  const onExpiredRef = useRef(onExpired);
  useEffect(() => {
    onExpiredRef.current = onExpired;
  });

  useEffect(
    () =>
      subscribeToSession((event) => {
        if (event.type === 'refreshed') {
          const { user } = event.body as LoginResult;
          if (user) queryClient.setQueryData(sessionQueryKey, user);
          return;
        }
        const wasSignedIn = Boolean(queryClient.getQueryData(sessionQueryKey));
        if (wasSignedIn) queryClient.setQueryData(sessionEndedQueryKey, 'expired');
        queryClient.setQueryData(sessionQueryKey, null);
        removeSessionQueries(queryClient);
        if (wasSignedIn) onExpiredRef.current();
      }),
    [queryClient],
  );
}
