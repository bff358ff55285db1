import { useMutation, useQueryClient } from '@tanstack/react-query';

import { setAccessToken } from '@/lib/access-token';
import { api } from '@/lib/api-client';
import { removeSessionQueries } from '@/lib/react-query';

import type { LoginInput, LoginResult } from '../types';

import { sessionQueryKey } from './get-session';
import { sessionEndedQueryKey } from './get-session-ended';

export async function login(input: LoginInput): Promise<LoginResult> {
  const result = await api.post<LoginResult>('/auth/login', input);
  setAccessToken(result.access_token);
  return result;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      removeSessionQueries(queryClient);
      queryClient.setQueryData(sessionEndedQueryKey, null);
      queryClient.setQueryData(sessionQueryKey, result.user);
    },
  });
}
