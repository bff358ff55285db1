import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { customer, order, page } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp, signInAs } from '@/testing/test-utils';

describe('orders', () => {
  beforeEach(() => signInAs(customer));

  it('lists the order history with status and total', async () => {
    server.use(
      http.get('/api/orders/', ({ request }) => {
        const current = Number(new URL(request.url).searchParams.get('page') ?? 1);
        return HttpResponse.json(
          page(
            [{ id: 'o-1', number: `R-${current}`, status: 'shipped', total: '34.65', currency: 'EUR', item_count: 2, created_at: '2026-03-01T10:00:00Z' }],
            { page: current, total_pages: 2, count: 2, page_size: 1 },
          ),
        );
      }),
    );
    const { user } = renderApp('/orders');
    const list = await screen.findByRole('list', { name: 'Orders' });
    expect(within(list).getByRole('link', { name: 'Order R-1' })).toHaveAttribute('href', '/orders/o-1');
    expect(within(list).getByText('Shipped')).toBeInTheDocument();
    expect(within(list).getByText('€34.65')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Page 2' }));
    expect(await screen.findByRole('link', { name: 'Order R-2' })).toBeInTheDocument();
  });

  it('shows an order with its status timeline, and cancels it', async () => {
    const current = order();
    let cancelled = false;
    server.use(
      http.get('/api/orders/:id/', () => HttpResponse.json(current)),
      http.post('/api/orders/:id/cancel/', () => {
        cancelled = true;
        current.status = 'cancelled';
        current.can_cancel = false;
        current.history = [...current.history, { status: 'cancelled', at: '2026-03-01T11:00:00Z', actor: 'customer' }];
        return HttpResponse.json(current);
      }),
    );
    const { user } = renderApp(`/orders/${current.id}`);

    expect(await screen.findByRole('heading', { name: 'Order R-10042' })).toBeInTheDocument();
    expect(screen.getByTestId('order-status')).toHaveTextContent('Paid');
    const timeline = screen.getByRole('list', { name: 'Status history' });
    expect(within(timeline).getAllByRole('listitem').map((li) => li.querySelector('.timeline__status')?.textContent)).toEqual([
      'Awaiting payment',
      'Paid',
    ]);
    expect(screen.getByText('€34.65')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Cancel order' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel order' }));
    await waitFor(() => expect(screen.getByTestId('order-status')).toHaveTextContent('Cancelled'));
    expect(cancelled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
  });

  it('offers no cancel when the service says it is not allowed', async () => {
    server.use(http.get('/api/orders/:id/', () => HttpResponse.json(order({ status: 'shipped', can_cancel: false }))));
    renderApp('/orders/x');
    await screen.findByRole('heading', { name: 'Order R-10042' });
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
  });

  it('says when an order does not exist', async () => {
    server.use(http.get('/api/orders/:id/', () => apiError(404, 'not_found', 'No such order.')));
    renderApp('/orders/nope');
    expect(await screen.findByRole('heading', { name: 'Order not found' })).toBeInTheDocument();
  });
});
