import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { admin, customer, page } from '@/testing/mocks/data';
import { server } from '@/testing/mocks/server';
import { currentUrl, renderApp, signInAs } from '@/testing/test-utils';

describe('route guards', () => {
  it('tells a customer that the back office is not for them', async () => {
    signInAs(customer);
    renderApp('/admin/products');
    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Products' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
  });

  it('sends a visitor to log in first', async () => {
    const { router } = renderApp('/admin/orders?status=paid');
    await waitFor(() => expect(currentUrl(router)).toBe('/login?next=%2Fadmin%2Forders%3Fstatus%3Dpaid'));
  });

  it('opens the back office for an admin', async () => {
    signInAs(admin);
    server.use(http.get('/api/catalog/admin/products/', () => HttpResponse.json(page([]))));
    const { router } = renderApp('/admin');
    await waitFor(() => expect(currentUrl(router)).toBe('/admin/products'));
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Admin' })).toBeInTheDocument();
  });

  it.each(['/cart', '/checkout', '/account', '/orders', '/notifications'])('%s needs a signed-in user', async (path) => {
    const { router } = renderApp(path);
    await waitFor(() => expect(currentUrl(router)).toBe(`/login?next=${encodeURIComponent(path)}`));
  });

  it('shows a not-found page for unknown addresses', async () => {
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
