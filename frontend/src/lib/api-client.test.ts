import { http, HttpResponse } from 'msw';

import { server } from '@/testing/mocks/server';
import { apiError } from '@/testing/mocks/http';

import { getAccessToken, setAccessToken } from './access-token';
import { api, ApiError, buildUrl, NETWORK_ERROR_STATUS, subscribeToSession, type SessionEvent } from './api-client';

function loginResult(token: string) {
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: 900,
    user: { id: 7, email: 'ada@example.com', name: 'Ada', roles: ['customer'], created_at: '2026-01-01T00:00:00Z' },
  };
}

describe('api client', () => {
  it('sends JSON with the access token and reads JSON', async () => {
    setAccessToken('token-a');
    let seen: { auth: string | null; type: string | null; body: unknown } | undefined;
    server.use(
      http.post('/api/cart/items/', async ({ request }) => {
        seen = {
          auth: request.headers.get('Authorization'),
          type: request.headers.get('Content-Type'),
          body: await request.json(),
        };
        return HttpResponse.json({ ok: true }, { status: 201 });
      }),
    );

    await expect(api.post('/cart/items/', { product_id: 1, quantity: 2 })).resolves.toEqual({ ok: true });
    expect(seen).toEqual({ auth: 'Bearer token-a', type: 'application/json', body: { product_id: 1, quantity: 2 } });
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('/catalog/products/', { q: 'mug', page: 2, in_stock: true, category: '', min_price: undefined })).toBe(
      '/api/catalog/products/?q=mug&page=2&in_stock=true',
    );
  });

  it('turns the error shape into an ApiError with status, code, details and request id', async () => {
    server.use(
      http.post('/api/auth/register', () =>
        apiError(400, 'validation_error', 'The request is not valid.', { email: ['Not a valid email address.'] }, 'abc-123'),
      ),
    );

    const error = await api.post('/auth/register', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'The request is not valid.',
      details: { email: ['Not a valid email address.'] },
      requestId: 'abc-123',
    });
  });

  it('still gives a typed error (and the request id) when the body is not the error shape', async () => {
    server.use(
      http.get('/api/catalog/products/', () =>
        new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'X-Request-ID': 'gw-9' } }),
      ),
    );

    const error = await api.get('/catalog/products/').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'http_502', requestId: 'gw-9' });
  });

  it('reports a network failure as status 0', async () => {
    server.use(http.get('/api/cart/', () => HttpResponse.error()));
    const error = await api.get('/cart/').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: NETWORK_ERROR_STATUS, code: 'network_error' });
  });

  it('answers 204 with undefined', async () => {
    server.use(http.post('/api/notifications/read-all/', () => new HttpResponse(null, { status: 204 })));
    await expect(api.post('/notifications/read-all/')).resolves.toBeUndefined();
  });

  it('on a 401 refreshes once with the cookie and retries with the new token', async () => {
    setAccessToken('expired');
    const authHeaders: (string | null)[] = [];
    let refreshes = 0;
    server.use(
      http.get('/api/orders/', ({ request }) => {
        const auth = request.headers.get('Authorization');
        authHeaders.push(auth);
        return auth === 'Bearer fresh'
          ? HttpResponse.json({ results: [] })
          : apiError(401, 'token_invalid', 'The token has expired.');
      }),
      http.post('/api/auth/refresh', () => {
        refreshes += 1;
        return HttpResponse.json(loginResult('fresh'));
      }),
    );
    const events: SessionEvent[] = [];
    const unsubscribe = subscribeToSession((event) => events.push(event));

    await expect(api.get('/orders/')).resolves.toEqual({ results: [] });
    unsubscribe();

    expect(refreshes).toBe(1);
    expect(authHeaders).toEqual(['Bearer expired', 'Bearer fresh']);
    expect(getAccessToken()).toBe('fresh');
    expect(events).toEqual([{ type: 'refreshed', body: loginResult('fresh') }]);
  });

  it('shares one refresh between parallel requests (refresh tokens are single-use)', async () => {
    setAccessToken('expired');
    let refreshes = 0;
    server.use(
      http.get('/api/orders/:id/', ({ request }) =>
        request.headers.get('Authorization') === 'Bearer fresh'
          ? HttpResponse.json({ ok: true })
          : apiError(401, 'token_invalid', 'Expired.'),
      ),
      http.post('/api/auth/refresh', async () => {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return HttpResponse.json(loginResult('fresh'));
      }),
    );

    await Promise.all([api.get('/orders/a/'), api.get('/orders/b/'), api.get('/orders/c/')]);
    expect(refreshes).toBe(1);
  });

  it('does not loop: a second 401 after the refresh is final', async () => {
    setAccessToken('expired');
    let calls = 0;
    let refreshes = 0;
    server.use(
      http.get('/api/orders/', () => {
        calls += 1;
        return apiError(401, 'token_invalid', 'Nope.', {}, `req-${calls}`);
      }),
      http.post('/api/auth/refresh', () => {
        refreshes += 1;
        return HttpResponse.json(loginResult(`fresh-${refreshes}`));
      }),
    );

    const error = await api.get('/orders/').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, requestId: 'req-2' });
    expect(calls).toBe(2);
    expect(refreshes).toBe(1);
  });

  it('ends the session when the refresh fails, and says so', async () => {
    setAccessToken('expired');
    server.use(
      http.get('/api/orders/', () => apiError(401, 'token_invalid', 'Expired.', {}, 'req-orders')),
      http.post('/api/auth/refresh', () => apiError(401, 'not_authenticated', 'Refresh token revoked.')),
    );
    const events: SessionEvent[] = [];
    const unsubscribe = subscribeToSession((event) => events.push(event));

    const error = await api.get('/orders/').catch((e: unknown) => e);
    unsubscribe();

    expect(error).toMatchObject({ status: 401, code: 'token_invalid', requestId: 'req-orders' });
    expect(getAccessToken()).toBeNull();
    expect(events).toEqual([{ type: 'expired' }]);
  });

  it('never refreshes for a wrong password or without a token', async () => {
    let refreshes = 0;
    server.use(
      http.post('/api/auth/refresh', () => {
        refreshes += 1;
        return HttpResponse.json(loginResult('fresh'));
      }),
      http.post('/api/auth/login', () => apiError(401, 'invalid_credentials', 'Email or password is wrong.')),
      http.get('/api/cart/', () => apiError(401, 'not_authenticated', 'Log in first.')),
    );

    await expect(api.post('/auth/login', { email: 'a@b.c', password: 'x' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(api.get('/cart/')).rejects.toMatchObject({ status: 401 });
    expect(refreshes).toBe(0);
  });
});
