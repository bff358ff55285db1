import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { cart, cartItem, customer } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp, signInAs } from '@/testing/test-utils';

const mug = cartItem({ product_id: 1, name: 'Blue mug', unit_price: '12.50', quantity: 2, line_total: '25.00' });
const teapot = cartItem({ product_id: 2, name: 'Teapot', unit_price: '40.00', quantity: 1, line_total: '40.00' });

describe('cart page', () => {
  beforeEach(() => signInAs(customer));

  it('shows the lines and the totals the server computed', async () => {
    server.use(http.get('/api/cart/', () => HttpResponse.json(cart([mug, teapot], { subtotal: '65.00' }))));
    renderApp('/cart');

    const lines = await screen.findByRole('list', { name: 'Cart items' });
    expect(within(lines).getAllByRole('listitem')).toHaveLength(2);
    const mugLine = within(lines).getByRole('listitem', { name: 'Blue mug' });
    expect(within(mugLine).getByText('€25.00')).toBeInTheDocument();
    expect(within(mugLine).getByRole('spinbutton', { name: 'Quantity of Blue mug' })).toHaveValue(2);
    expect(screen.getByTestId('cart-subtotal')).toHaveTextContent('€65.00');
    expect(screen.getByRole('link', { name: 'Go to checkout' })).toHaveAttribute('href', '/checkout');
  });

  it('changes quantities and removes lines, showing the server answer', async () => {
    const requests: string[] = [];
    server.use(
      http.get('/api/cart/', () => HttpResponse.json(cart([mug, teapot], { subtotal: '65.00' }))),
      http.patch('/api/cart/items/:id/', async ({ params, request }) => {
        requests.push(`PATCH ${String(params.id)} ${JSON.stringify(await request.json())}`);
        return HttpResponse.json(
          cart([{ ...mug, quantity: 3, line_total: '37.50' }, teapot], { subtotal: '77.50' }),
        );
      }),
      http.delete('/api/cart/items/:id/', ({ params }) => {
        requests.push(`DELETE ${String(params.id)}`);
        return HttpResponse.json(cart([{ ...mug, quantity: 3, line_total: '37.50' }], { subtotal: '37.50' }));
      }),
    );
    const { user } = renderApp('/cart');

    await user.click(await screen.findByRole('button', { name: 'Increase quantity of Blue mug' }));
    await waitFor(() => expect(screen.getByTestId('cart-subtotal')).toHaveTextContent('€77.50'));

    await user.click(screen.getByRole('button', { name: 'Remove Teapot' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Teapot' })).not.toBeInTheDocument());
    expect(screen.getByTestId('cart-subtotal')).toHaveTextContent('€37.50');
    expect(requests).toEqual(['PATCH 1 {"quantity":3}', 'DELETE 2']);
  });

  it('flags out-of-stock and withdrawn lines and blocks checkout', async () => {
    server.use(
      http.get('/api/cart/', () =>
        HttpResponse.json(
          cart(
            [
              mug,
              { ...teapot, in_stock: false },
              cartItem({ product_id: 3, name: 'Old vase', available: false, in_stock: false, unit_price: null, line_total: null }),
            ],
            { subtotal: '85.00' },
          ),
        ),
      ),
    );
    renderApp('/cart');

    const teapotLine = await screen.findByRole('listitem', { name: 'Teapot' });
    expect(within(teapotLine).getByText('Out of stock')).toBeInTheDocument();
    const vaseLine = screen.getByRole('listitem', { name: 'Old vase' });
    expect(within(vaseLine).getByText('No longer available')).toBeInTheDocument();
    expect(within(vaseLine).getAllByText('No price')).toHaveLength(2);
    expect(within(screen.getByRole('listitem', { name: 'Blue mug' })).queryByText('Out of stock')).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('2 items in your cart cannot be ordered');
    expect(screen.getByRole('button', { name: 'Go to checkout' })).toBeDisabled();
    expect(screen.queryByRole('link', { name: 'Go to checkout' })).not.toBeInTheDocument();
  });

  it('has an empty state', async () => {
    renderApp('/cart');
    expect(await screen.findByText('Your cart is empty')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse products' })).toHaveAttribute('href', '/');
  });

  it('explains a catalog outage with the request id', async () => {
    server.use(http.get('/api/cart/', () => apiError(503, 'service_unavailable', 'Prices cannot be checked right now.', {}, 'req-cart')));
    renderApp('/cart');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Prices cannot be checked right now.');
    expect(within(alert).getByTestId('request-id')).toHaveTextContent('req-cart');
  });
});
