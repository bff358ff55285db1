import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { admin, page, productDetail } from '@/testing/mocks/data';
import { server } from '@/testing/mocks/server';
import { currentUrl, renderApp, signInAs } from '@/testing/test-utils';

function adminProduct(overrides: Record<string, unknown> = {}) {
  return { ...productDetail({ id: 5, name: 'Blue mug' }), is_active: true, stock: { on_hand: 7, reserved: 1, sold: 3 }, ...overrides };
}

describe('back office', () => {
  beforeEach(() => signInAs(admin));

  it('lists products including inactive ones and deactivates one', async () => {
    const product = adminProduct();
    const calls: string[] = [];
    server.use(
      http.get('/api/catalog/admin/products/', () =>
        HttpResponse.json(page([product, adminProduct({ id: 6, name: 'Old vase', is_active: false })])),
      ),
      http.post('/api/catalog/admin/products/:id/deactivate/', ({ params }) => {
        calls.push(`deactivate ${String(params.id)}`);
        product.is_active = false;
        return HttpResponse.json(product);
      }),
    );
    const { user } = renderApp('/admin/products');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('link', { name: 'Old vase' })).toHaveAttribute('href', '/admin/products/6');
    expect(within(table).getAllByText('Inactive')).toHaveLength(1);

    await user.click(within(table).getByRole('button', { name: 'Deactivate Blue mug' }));
    await waitFor(() => expect(within(table).getAllByText('Inactive')).toHaveLength(2));
    expect(calls).toEqual(['deactivate 5']);
  });

  it('creates a product and opens it for stock', async () => {
    let body: unknown;
    server.use(
      http.post('/api/catalog/admin/products/', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(adminProduct({ id: 42, name: 'Green mug', stock: { on_hand: 0, reserved: 0, sold: 0 } }), {
          status: 201,
        });
      }),
      http.get('/api/catalog/admin/products/42/', () => HttpResponse.json(adminProduct({ id: 42, name: 'Green mug' }))),
    );
    const { router, user } = renderApp('/admin/products/new');
    await user.type(await screen.findByLabelText('SKU'), 'MUG-GRN');
    await user.type(screen.getByLabelText('Price (€)'), '14.90');
    await user.type(screen.getByLabelText('Name'), 'Green mug');
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Category' }), '2');
    await user.type(screen.getByLabelText('Description'), 'Glazed.');
    await user.click(screen.getByRole('button', { name: 'Create product' }));

    await waitFor(() => expect(currentUrl(router)).toBe('/admin/products/42'));
    expect(body).toEqual({ sku: 'MUG-GRN', name: 'Green mug', description: 'Glazed.', price: '14.90', category_id: 2 });
  });

  it('sets the stock of a product', async () => {
    let product = adminProduct();
    server.use(
      http.get('/api/catalog/admin/products/5/', () => HttpResponse.json(product)),
      http.put('/api/catalog/admin/products/5/stock/', async ({ request }) => {
        const { on_hand } = (await request.json()) as { on_hand: number };
        product = { ...product, stock: { ...product.stock, on_hand } };
        return HttpResponse.json(product);
      }),
    );
    const { user } = renderApp('/admin/products/5');
    const units = await screen.findByLabelText('Units on hand');
    await user.clear(units);
    await user.type(units, '25');
    await user.click(screen.getByRole('button', { name: 'Set stock' }));
    await waitFor(() => expect(screen.getByTestId('stock-on-hand')).toHaveTextContent('25'));
  });

  it('filters orders by status and marks a paid order shipped', async () => {
    const orders = [
      { id: 'o-1', number: 'R-1', status: 'paid', total: '10.00', currency: 'EUR', item_count: 1, created_at: '2026-03-01T10:00:00Z', user_id: 7 },
    ];
    const statuses: (string | null)[] = [];
    server.use(
      http.get('/api/orders/admin/orders/', ({ request }) => {
        statuses.push(new URL(request.url).searchParams.get('status'));
        return HttpResponse.json(page(orders));
      }),
      http.post('/api/orders/:id/ship/', () => {
        orders[0]!.status = 'shipped';
        return HttpResponse.json(orders[0]);
      }),
    );
    const { router, user } = renderApp('/admin/orders');
    const row = await screen.findByTestId('admin-order-R-1');
    await user.click(within(row).getByRole('button', { name: 'Mark shipped: order R-1' }));
    expect(await within(row).findByRole('button', { name: 'Mark delivered: order R-1' })).toBeInTheDocument();
    expect(within(row).getByText('Shipped')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'shipped');
    await waitFor(() => expect(currentUrl(router)).toBe('/admin/orders?status=shipped'));
    await waitFor(() => expect(statuses.at(-1)).toBe('shipped'));
  });
});
