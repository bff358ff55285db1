/** The account calls of the SPA (auth feature) against auth-flask's OpenAPI. */
import type {
  ChangePasswordInput,
  LoginInput,
  LoginResult,
  RegisterInput,
  UpdateProfileInput,
  User,
} from '@/features/auth/types';
import type { paths } from '@/lib/api-schema/auth';

import type { Conforms, ErrorShape, RequestOf, ResponseOf } from './contract';

export type RegisterBody = Conforms<RegisterInput, RequestOf<paths, '/api/auth/register', 'post'>>;
export type Registered = Conforms<ResponseOf<paths, '/api/auth/register', 'post', 201>, LoginResult>;
export type LoginBody = Conforms<LoginInput, RequestOf<paths, '/api/auth/login', 'post'>>;
export type LoggedIn = Conforms<ResponseOf<paths, '/api/auth/login', 'post'>, LoginResult>;
export type WrongCredentials = Conforms<ResponseOf<paths, '/api/auth/login', 'post', 401>, ErrorShape>;
export type Refreshed = Conforms<ResponseOf<paths, '/api/auth/refresh', 'post'>, LoginResult>;
export type Me = Conforms<ResponseOf<paths, '/api/auth/me', 'get'>, User>;
export type ProfileBody = Conforms<UpdateProfileInput, RequestOf<paths, '/api/auth/me', 'patch'>>;
export type ProfileUpdated = Conforms<ResponseOf<paths, '/api/auth/me', 'patch'>, User>;
export type PasswordBody = Conforms<ChangePasswordInput, RequestOf<paths, '/api/auth/password', 'post'>>;
