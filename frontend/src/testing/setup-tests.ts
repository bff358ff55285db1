import '@testing-library/jest-dom/vitest';

import { cleanup } from '@testing-library/react';

import { setAccessToken } from '@/lib/access-token';

import { server } from './mocks/server';

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  // Node's fetch has no page to resolve "/api/..." against; the browser does.
  // Installed after MSW so the URL is absolute before MSW sees the request.
  const mockedFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    mockedFetch(typeof input === 'string' ? new URL(input, window.location.href) : input, init);
  window.scrollTo = () => {};
});

afterEach(() => {
  cleanup();
  server.resetHandlers();
  setAccessToken(null);
  window.localStorage.clear();
});

afterAll(() => server.close());
