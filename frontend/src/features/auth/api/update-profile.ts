import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { UpdateProfileInput, User } from '../types';

import { sessionQueryKey } from './get-session';

export function updateProfile(input: UpdateProfileInput): Promise<User> {
  return api.patch<User>('/auth/me', input);
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    onSuccess: (user) => queryClient.setQueryData(sessionQueryKey, user),
  });
}
