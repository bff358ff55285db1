/**
 * Where to go after logging in. Only paths inside the SPA are accepted, so a
 * crafted link such as /login?next=https://evil.example cannot bounce a
 * freshly signed-in user to another site.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login') || next.startsWith('/register')) return fallback;
  return next;
}

/** The login URL that brings the user back to `path` afterwards. */
export function loginPath(path: string): string {
  return `/login?next=${encodeURIComponent(path)}`;
}
