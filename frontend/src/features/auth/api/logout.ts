import { useMutation, useQueryClient } from '@tanstack/react-query';

import { setAccessToken } from '@/lib/access-token';
import { api } from '@/lib/api-client';
import { removeSessionQueries } from '@/lib/react-query';

import { sessionQueryKey } from './get-session';

/**
 * Revokes the refresh-token family on the server. The local session ends
 * whatever the server answers: a user who clicks "Log out" is logged out.
 */
export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } finally {
    setAccessToken(null);
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      queryClient.setQueryData(sessionQueryKey, null);
      removeSessionQueries(queryClient);
    },
  });
}
