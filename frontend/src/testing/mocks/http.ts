import { http, HttpResponse } from 'msw';

/** An error in the one shape every service answers with, plus the gateway's request id. */
export function apiError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  requestId = `req-${code}`,
) {
  return HttpResponse.json({ error: { code, message, details } }, { status, headers: { 'X-Request-ID': requestId } });
}

export { http, HttpResponse };
