/**
 * The access token lives in this module's memory only: never in localStorage,
 * sessionStorage or a cookie readable by scripts, so an XSS bug cannot lift a
 * long-lived credential. A reload loses it; the HttpOnly refresh cookie set by
 * the auth service gets a new one (see `refreshSession` in api-client.ts).
 */
import { forgetSession, rememberSession } from './session-hint';

let accessToken: string | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

/** Setting a token also notes that a session exists; clearing it forgets that. */
export function setAccessToken(token: string | null): void {
  accessToken = token;
  if (token) rememberSession();
  else forgetSession();
}
