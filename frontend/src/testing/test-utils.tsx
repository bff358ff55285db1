import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import type { User } from '@/features/auth/types';
import { setAccessToken } from '@/lib/access-token';
import { createQueryClient } from '@/lib/react-query';

import { server } from './mocks/server';

export function createTestQueryClient() {
  return createQueryClient({ queries: { retry: false, staleTime: Infinity, refetchOnWindowFocus: false } });
}

/**
 * Starts the test signed in as `user`: the refresh cookie "works" and /me
 * answers, exactly as after a reload with a live session.
 */
export function signInAs(user: User, token = `token-${user.id}`) {
  server.use(
    http.post('/api/auth/refresh', () =>
      HttpResponse.json({ access_token: token, token_type: 'Bearer', expires_in: 900, user }),
    ),
    http.get('/api/auth/me', () => HttpResponse.json(user)),
  );
  setAccessToken(token);
}

/** Renders the whole app at `url`, as a browser would open it. */
export function renderApp(url = '/') {
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const queryClient = createTestQueryClient();
  const user = userEvent.setup();
  const result = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, router, queryClient, user };
}

/** Renders one component inside a router and a fresh query client. */
export function renderWithProviders(ui: ReactElement, { url = '/', path = '*' }: { url?: string; path?: string } = {}) {
  const router = createMemoryRouter([{ path, element: ui }], { initialEntries: [url] });
  const queryClient = createTestQueryClient();
  const user = userEvent.setup();
  const result = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, router, queryClient, user };
}

/** "/?q=mug&page=2" of the router's current location. */
export function currentUrl(router: { state: { location: { pathname: string; search: string } } }) {
  return `${router.state.location.pathname}${router.state.location.search}`;
}
