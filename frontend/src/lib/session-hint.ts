/**
 * Whether this browser may hold a refresh cookie. The cookie itself is
 * HttpOnly (scripts cannot see it), so without this hint every visitor's
 * first page would send a refresh request doomed to a 401. The hint is a
 * plain flag, no secret: at worst a stale one costs that one request.
 */
const KEY = 'shop.session';

export function mightHaveSession(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    // Storage blocked (privacy settings): ask the server, as without the hint.
    return true;
  }
}

export function rememberSession(): void {
  try {
    window.localStorage.setItem(KEY, '1');
  } catch {
    // Nothing to remember with; the next load asks the server.
  }
}

export function forgetSession(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // As above.
  }
}
