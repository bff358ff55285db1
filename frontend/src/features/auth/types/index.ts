import type { Timestamp } from '@/lib/api-types';

export type Role = 'customer' | 'admin';

export type User = {
  id: number;
  email: string;
  name: string;
  roles: string[];
  created_at: Timestamp;
};

/** What register, login and refresh answer; the refresh token is only ever a cookie. */
export type LoginResult = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
};

export type LoginInput = { email: string; password: string };
export type RegisterInput = { email: string; password: string; name: string };
export type UpdateProfileInput = { name: string };
export type ChangePasswordInput = { current_password: string; new_password: string };
