import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { customer, notification, page } from '@/testing/mocks/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signInAs } from '@/testing/test-utils';

describe('notifications', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows no bell to visitors', async () => {
    renderApp('/');
    await screen.findByRole('link', { name: 'Log in' });
    expect(screen.queryByRole('link', { name: /Notifications/ })).not.toBeInTheDocument();
  });

  it('shows the unread count on the bell and polls for news', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    signInAs(customer);
    let unread = 2;
    server.use(http.get('/api/notifications/unread-count/', () => HttpResponse.json({ unread })));
    renderApp('/');

    const bell = await screen.findByRole('link', { name: 'Notifications, 2 unread' });
    expect(bell).toHaveAttribute('href', '/notifications');
    expect(within(bell).getByTestId('unread-count')).toHaveTextContent('2');

    unread = 5;
    await act(() => vi.advanceTimersByTimeAsync(15_000));
    expect(await screen.findByRole('link', { name: 'Notifications, 5 unread' })).toBeInTheDocument();
  });

  it('lists the inbox and marks one or all as read', async () => {
    signInAs(customer);
    const items = [
      notification({ id: 1, title: 'Order R-1 is paid' }),
      notification({ id: 2, title: 'Order R-1 has shipped', read_at: null }),
      notification({ id: 3, title: 'Welcome', read_at: '2026-03-01T00:00:00Z', link: null }),
    ];
    const calls: string[] = [];
    server.use(
      http.get('/api/notifications/unread-count/', () =>
        HttpResponse.json({ unread: items.filter((n) => !n.read_at).length }),
      ),
      http.get('/api/notifications/', () => HttpResponse.json(page(items))),
      http.post('/api/notifications/:id/read/', ({ params }) => {
        calls.push(`read ${String(params.id)}`);
        const item = items.find((n) => n.id === Number(params.id))!;
        item.read_at = '2026-03-02T00:00:00Z';
        return HttpResponse.json(item);
      }),
      http.post('/api/notifications/read-all/', () => {
        calls.push('read-all');
        for (const item of items) item.read_at ??= '2026-03-02T00:00:00Z';
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp('/notifications');

    const list = await screen.findByRole('list', { name: 'Notifications' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByRole('link', { name: 'Notifications, 2 unread' })).toBeInTheDocument();

    await user.click(within(list).getByRole('button', { name: 'Mark as read: Order R-1 is paid' }));
    expect(await screen.findByRole('link', { name: 'Notifications, 1 unread' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark all as read' }));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications' })).toBeInTheDocument());
    expect(within(list).queryByRole('button', { name: /as read/ })).not.toBeInTheDocument();
    expect(calls).toEqual(['read 1', 'read-all']);
  });

  it('has an empty state', async () => {
    signInAs(customer);
    server.use(http.get('/api/notifications/', () => HttpResponse.json(page([]))));
    renderApp('/notifications');
    expect(await screen.findByText('No notifications yet')).toBeInTheDocument();
  });
});
