import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { page, productSummary } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { currentUrl, renderApp } from '@/testing/test-utils';

/** Records the query of every product-list request. */
function recordProductQueries(totalPages = 5) {
  const queries: Record<string, string>[] = [];
  server.use(
    http.get('/api/catalog/products/', ({ request }) => {
      const params = new URL(request.url).searchParams;
      queries.push(Object.fromEntries(params));
      const current = Number(params.get('page') ?? 1);
      return HttpResponse.json(
        page([productSummary({ id: 10 + current, name: `Mug on page ${current}` })], {
          count: totalPages * 24,
          page: current,
          total_pages: totalPages,
        }),
      );
    }),
  );
  return queries;
}

describe('catalog page', () => {
  it('reads search, category, price, stock, sort and page from the URL', async () => {
    const queries = recordProductQueries();
    renderApp('/?q=mug&category=mugs&min_price=5&max_price=30&in_stock=true&ordering=-price&page=2');

    expect(await screen.findByRole('link', { name: 'Mug on page 2' })).toHaveAttribute('href', '/products/product-12');
    expect(queries.at(-1)).toEqual({
      q: 'mug',
      category: 'mugs',
      min_price: '5',
      max_price: '30',
      in_stock: 'true',
      ordering: '-price',
      page: '2',
    });
    expect(screen.getByRole('searchbox', { name: 'Search products' })).toHaveValue('mug');
    expect(screen.getByLabelText('Min price (€)')).toHaveValue('5');
    expect(screen.getByLabelText('Max price (€)')).toHaveValue('30');
    expect(screen.getByRole('checkbox', { name: 'In stock only' })).toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Sort by' })).toHaveValue('-price');
    expect(screen.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
    const nav = screen.getByRole('navigation', { name: 'Categories' });
    expect(await within(nav).findByRole('link', { name: /Mugs/ })).toHaveAttribute('aria-current', 'page');
  });

  it('ignores malformed URL values instead of failing', async () => {
    const queries = recordProductQueries();
    renderApp('/?page=-3&ordering=drop&min_price=abc&in_stock=maybe');
    await screen.findByRole('link', { name: 'Mug on page 1' });
    expect(queries.at(-1)).toEqual({ page: '1' });
  });

  it('writes every change back to the URL, starting again at page 1', async () => {
    const queries = recordProductQueries();
    const { router, user } = renderApp('/?page=3');
    await screen.findByRole('link', { name: 'Mug on page 3' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'price');
    await waitFor(() => expect(currentUrl(router)).toBe('/?ordering=price'));

    await user.click(screen.getByRole('checkbox', { name: 'In stock only' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/?in_stock=true&ordering=price'));

    await user.type(screen.getByLabelText('Min price (€)'), '10');
    await user.type(screen.getByLabelText('Max price (€)'), '49.90');
    await user.click(screen.getByRole('button', { name: 'Apply price' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/?min_price=10&max_price=49.90&in_stock=true&ordering=price'));

    const nav = screen.getByRole('navigation', { name: 'Categories' });
    await user.click(within(nav).getByRole('link', { name: /Kitchen/ }));
    await waitFor(() =>
      expect(currentUrl(router)).toBe('/?category=kitchen&min_price=10&max_price=49.90&in_stock=true&ordering=price'),
    );
    // The selected branch opens to show its children.
    expect(await within(nav).findByRole('link', { name: /Teapots/ })).toBeInTheDocument();

    await user.click(await screen.findByRole('link', { name: 'Page 2' }));
    await waitFor(() => expect(router.state.location.search).toContain('page=2'));
    await screen.findByRole('link', { name: 'Mug on page 2' });

    const search = screen.getByRole('searchbox', { name: 'Search products' });
    await user.type(search, 'teapot{Enter}');
    await waitFor(() =>
      expect(currentUrl(router)).toBe('/?q=teapot&category=kitchen&min_price=10&max_price=49.90&in_stock=true&ordering=price'),
    );
    expect(queries.at(-1)).toMatchObject({ q: 'teapot', category: 'kitchen', page: '1' });

    // Back walks through the visitor's own steps.
    await act(() => router.navigate(-1));
    await waitFor(() => expect(router.state.location.search).toContain('page=2'));
    expect(await screen.findByRole('link', { name: 'Mug on page 2' })).toBeInTheDocument();
  });

  it('refuses a price range that cannot be right', async () => {
    recordProductQueries();
    const { router, user } = renderApp('/');
    await screen.findByRole('link', { name: 'Mug on page 1' });
    await user.type(screen.getByLabelText('Min price (€)'), '50');
    await user.type(screen.getByLabelText('Max price (€)'), '5');
    await user.click(screen.getByRole('button', { name: 'Apply price' }));
    expect(screen.getByText('The maximum must not be below the minimum.')).toBeInTheDocument();
    expect(currentUrl(router)).toBe('/');
  });

  it('shows the results with image, price and stock', async () => {
    server.use(
      http.get('/api/catalog/products/', () =>
        HttpResponse.json(
          page([
            productSummary({ id: 1, name: 'Blue mug', price: '12.50' }),
            productSummary({ id: 2, name: 'Sold-out mug', in_stock: false, available: 0 }),
            productSummary({ id: 3, name: 'Last mugs', available: 2 }),
          ]),
        ),
      ),
    );
    renderApp('/');
    const grid = await screen.findByRole('list', { name: 'Products' });
    const cards = within(grid).getAllByRole('listitem');
    expect(cards).toHaveLength(3);
    expect(within(cards[0]!).getByText('€12.50')).toBeInTheDocument();
    expect(within(cards[0]!).getByText('In stock')).toBeInTheDocument();
    expect(within(cards[1]!).getByText('Out of stock')).toBeInTheDocument();
    expect(within(cards[2]!).getByText('Only 2 left')).toBeInTheDocument();
    expect(cards[0]!.querySelector('img')).toHaveAttribute('src', '/api/catalog/images/product-1/1.svg');
    expect(screen.getByText('3 products')).toBeInTheDocument();
  });

  it('says so when nothing matches, and offers to clear the filters', async () => {
    server.use(http.get('/api/catalog/products/', () => HttpResponse.json(page([]))));
    const { router, user } = renderApp('/?category=garden&in_stock=true');
    expect(await screen.findByText('No products match')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Clear all filters' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/'));
  });

  it('offers the first page when a bookmarked page no longer exists', async () => {
    server.use(
      http.get('/api/catalog/products/', () =>
        apiError(404, 'not_found', 'Page 9 does not exist; the last page is 2.', { page: ['The last page is 2.'] }),
      ),
    );
    const { router, user } = renderApp('/?category=mugs&page=9');
    expect(await screen.findByText('Page 9 does not exist; the last page is 2.')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Go to the first page' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/?category=mugs'));
  });

  it('shows an error with the request id, and can try again', async () => {
    let fail = true;
    server.use(
      http.get('/api/catalog/products/', () =>
        fail
          ? apiError(503, 'service_unavailable', 'The catalog is unavailable.', {}, 'req-cat-503')
          : HttpResponse.json(page([productSummary({ id: 1, name: 'Back again' })])),
      ),
    );
    const { user } = renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Products could not be loaded');
    expect(within(alert).getByTestId('request-id')).toHaveTextContent('req-cat-503');

    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Back again' })).toBeInTheDocument();
  });
});
