import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { cart, cartItem, customer, productDetail } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { currentUrl, renderApp, signInAs } from '@/testing/test-utils';

describe('product page', () => {
  it('shows the gallery, price, stock and description', async () => {
    const { user } = renderApp('/products/blue-mug');
    expect(await screen.findByRole('heading', { level: 1, name: 'Blue mug' })).toBeInTheDocument();
    expect(screen.getByText('€19.99')).toBeInTheDocument();
    expect(screen.getByText('In stock')).toBeInTheDocument();
    expect(screen.getByText('Dishwasher safe.')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Blue mug (1 of 2)' })).toHaveAttribute(
      'src',
      '/api/catalog/images/blue-mug/1.svg',
    );
    await user.click(screen.getByRole('button', { name: 'Show image 2 of 2' }));
    expect(screen.getByRole('img', { name: 'Blue mug (2 of 2)' })).toHaveAttribute('src', '/api/catalog/images/blue-mug/2.svg');
    const breadcrumb = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(breadcrumb).getByRole('link', { name: 'Mugs' })).toHaveAttribute('href', '/?category=mugs');
  });

  it('adds the chosen quantity to the cart and updates the header count', async () => {
    signInAs(customer);
    let body: unknown;
    server.use(
      http.get('/api/cart/', () => HttpResponse.json(cart([]))),
      http.post('/api/cart/items/', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          cart([cartItem({ product_id: 1, name: 'Blue mug', quantity: 3, line_total: '59.97' })], { subtotal: '59.97' }),
        );
      }),
    );
    const { user } = renderApp('/products/blue-mug');
    await screen.findByRole('heading', { level: 1, name: 'Blue mug' });
    expect(await screen.findByRole('link', { name: 'Cart, 0 items' })).toBeInTheDocument();

    const quantity = screen.getByRole('spinbutton', { name: 'Quantity' });
    await user.clear(quantity);
    await user.type(quantity, '3');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Added 3 × Blue mug to your cart.');
    expect(body).toEqual({ product_id: 1, quantity: 3 });
    expect(screen.getByRole('link', { name: 'Cart, 3 items' })).toBeInTheDocument();
  });

  it('sends a visitor to log in first, and back to the product afterwards', async () => {
    const { router, user } = renderApp('/products/blue-mug');
    await screen.findByRole('heading', { level: 1, name: 'Blue mug' });
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/login?next=%2Fproducts%2Fblue-mug'));
  });

  it('cannot add a product that is out of stock', async () => {
    server.use(
      http.get('/api/catalog/products/:slug/', () => HttpResponse.json(productDetail({ name: 'Gone mug', in_stock: false, available: 0 }))),
    );
    renderApp('/products/gone-mug');
    await screen.findByRole('heading', { level: 1, name: 'Gone mug' });
    expect(screen.getByText('Out of stock')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
  });

  it('shows a not-found page for an unknown product', async () => {
    server.use(http.get('/api/catalog/products/:slug/', () => apiError(404, 'not_found', 'No such product.')));
    renderApp('/products/nope');
    expect(await screen.findByRole('heading', { name: 'Product not found' })).toBeInTheDocument();
  });
});
