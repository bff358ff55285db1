/**
 * The one HTTP client of the SPA. Every call goes to `/api/...` on the same
 * origin (the nginx gateway in production, Vite's proxy in development).
 *
 * What it does for every feature, so that none of them has to:
 * - sends and reads JSON, and attaches the in-memory access token;
 * - turns every non-2xx answer into an `ApiError` carrying the status, the
 *   error `code`/`details` of the shared error shape and the `X-Request-ID`
 *   the gateway assigned, so any error message can quote the request id;
 * - on a 401 for a request that carried a token, gets a new access token with
 *   the HttpOnly refresh cookie (`POST /api/auth/refresh`) and retries the
 *   request once. Refresh tokens are single-use, so concurrent refreshes are
 *   collapsed into one request: two refreshes with the same cookie would look
 *   like token theft to the auth service and end the session.
 */
import { getAccessToken, setAccessToken } from './access-token';
import type { ApiErrorBody } from './api-types';

export const API_BASE = '/api';

const REFRESH_PATH = '/auth/refresh';

/** Paths whose 401 means "wrong credentials", never "token expired". */
const NO_REFRESH_PATHS = new Set(['/auth/login', '/auth/register', REFRESH_PATH, '/auth/logout']);

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;

  constructor(args: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown>;
    requestId?: string | null;
  }) {
    super(args.message);
    this.name = 'ApiError';
    this.status = args.status;
    this.code = args.code;
    this.details = args.details ?? {};
    this.requestId = args.requestId ?? null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Status 0: the request never got an HTTP answer (offline, DNS, CORS, aborted proxy). */
export const NETWORK_ERROR_STATUS = 0;

type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  params?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

export type SessionEvent =
  | { type: 'refreshed'; body: unknown }
  | { type: 'expired' };

type SessionListener = (event: SessionEvent) => void;

const sessionListeners = new Set<SessionListener>();

/**
 * Subscribe to session changes made by the client itself: a silent refresh
 * (with the auth service's LoginResult body) or an expired session (a 401
 * that no refresh could cure). Returns the unsubscribe function.
 */
export function subscribeToSession(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => {
    sessionListeners.delete(listener);
  };
}

function emit(event: SessionEvent): void {
  for (const listener of sessionListeners) listener(event);
}

export function buildUrl(path: string, params?: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return `${API_BASE}${path}${query ? `?${query}` : ''}`;
}

async function parseError(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('X-Request-ID');
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (an HTML page from a proxy, an empty body): fall through.
  }
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError({
      status: response.status,
      code: error.code,
      message: typeof error.message === 'string' ? error.message : response.statusText,
      details: error.details && typeof error.details === 'object' ? error.details : {},
      requestId,
    });
  }
  return new ApiError({
    status: response.status,
    code: `http_${response.status}`,
    message: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    requestId,
  });
}

async function send(url: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: NETWORK_ERROR_STATUS,
      code: 'network_error',
      message: 'The shop could not be reached. Check your connection and try again.',
    });
  }
}

let refreshInFlight: Promise<unknown> | null = null;

/**
 * Exchange the refresh cookie for a new access token. Resolves with the
 * LoginResult body, or `null` when there is no usable session. Concurrent
 * callers share one request.
 */
export function refreshSession(): Promise<unknown> {
  refreshInFlight ??= (async () => {
    try {
      const response = await send(`${API_BASE}${REFRESH_PATH}`, { method: 'POST' });
      if (!response.ok) {
        setAccessToken(null);
        return null;
      }
      const body = (await response.json()) as { access_token?: unknown };
      if (typeof body.access_token !== 'string') {
        setAccessToken(null);
        return null;
      }
      setAccessToken(body.access_token);
      emit({ type: 'refreshed', body });
      return body;
    } catch {
      return null;
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  // A refresh under way (on app load, or for a parallel request) will change
  // the token: wait for it rather than send a request bound to fail.
  if (refreshInFlight && path !== REFRESH_PATH) await refreshInFlight;

  const url = buildUrl(path, options.params);
  const sentToken = getAccessToken();
  let response = await send(url, options);

  if (response.status === 401 && sentToken !== null && !NO_REFRESH_PATHS.has(path)) {
    const error = await parseError(response);
    if (error.code === 'invalid_credentials') throw error;
    // Another request may already have refreshed the token while this one
    // was on its way; then the new token is all it needs.
    const current = getAccessToken();
    const refreshed = current !== null && current !== sentToken ? true : await refreshSession();
    if (refreshed === null) {
      emit({ type: 'expired' });
      throw error;
    }
    // Exactly one retry: a second 401 is final, never another refresh.
    response = await send(url, options);
  }

  if (!response.ok) throw await parseError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  request,
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
};
