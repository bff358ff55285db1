import { useMutation, useQueryClient } from '@tanstack/react-query';

import { setAccessToken } from '@/lib/access-token';
import { api } from '@/lib/api-client';
import { removeSessionQueries } from '@/lib/react-query';

import type { ChangePasswordInput } from '../types';

import { sessionQueryKey } from './get-session';
import { sessionEndedQueryKey } from './get-session-ended';

export async function changePassword(input: ChangePasswordInput): Promise<void> {
  await api.post('/auth/password', input);
}

/**
 * A new password revokes every refresh token, this browser's included, so
 * the session ends here too and the user logs in again with the new one.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setAccessToken(null);
      queryClient.setQueryData(sessionEndedQueryKey, 'password-changed');
      queryClient.setQueryData(sessionQueryKey, null);
      removeSessionQueries(queryClient);
    },
  });
}
