import { http, HttpResponse } from 'msw';

import { cart, categories, page, productDetail, productSummary } from './data';
import { apiError } from './http';

/**
 * What a fresh visitor meets: a small catalog and no session. Tests that
 * need more (a signed-in user, a cart, failures) add handlers with
 * `server.use(...)`.
 */
export const handlers = [
  http.post('/api/auth/refresh', () => apiError(401, 'not_authenticated', 'No session.')),
  http.get('/api/auth/me', () => apiError(401, 'not_authenticated', 'No session.')),
  // Asked for only once someone is signed in (see signInAs in test-utils).
  http.get('/api/cart/', () => HttpResponse.json(cart([]))),
  http.get('/api/notifications/unread-count/', () => HttpResponse.json({ unread: 0 })),
  http.get('/api/catalog/categories/', () => HttpResponse.json(categories)),
  http.get('/api/catalog/products/', () =>
    HttpResponse.json(page([productSummary({ id: 1, name: 'Blue mug' }), productSummary({ id: 2, name: 'Red mug' })])),
  ),
  http.get('/api/catalog/products/:slug/', ({ params }) =>
    HttpResponse.json(productDetail({ slug: String(params.slug), name: 'Blue mug' })),
  ),
];
