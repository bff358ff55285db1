import { useMutation, useQueryClient } from '@tanstack/react-query';

import { setAccessToken } from '@/lib/access-token';
import { api } from '@/lib/api-client';
import { removeSessionQueries } from '@/lib/react-query';

import type { LoginResult, RegisterInput } from '../types';

import { sessionQueryKey } from './get-session';
import { sessionEndedQueryKey } from './get-session-ended';

/** Registering also logs in: the answer is a LoginResult. */
export async function register(input: RegisterInput): Promise<LoginResult> {
  const result = await api.post<LoginResult>('/auth/register', input);
  setAccessToken(result.access_token);
  return result;
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: (result) => {
      removeSessionQueries(queryClient);
      queryClient.setQueryData(sessionEndedQueryKey, null);
      queryClient.setQueryData(sessionQueryKey, result.user);
    },
  });
}
