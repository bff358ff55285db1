import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';

import { getAccessToken } from '@/lib/access-token';
import { mightHaveSession, rememberSession } from '@/lib/session-hint';
import { customer, order, page } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { currentUrl, renderApp, signInAs } from '@/testing/test-utils';

const loginResult = (token: string) => ({ access_token: token, token_type: 'Bearer', expires_in: 900, user: customer });

function acceptLogin() {
  const bodies: unknown[] = [];
  server.use(
    http.post('/api/auth/login', async ({ request }) => {
      bodies.push(await request.json());
      return HttpResponse.json(loginResult('token-after-login'));
    }),
    http.get('/api/orders/', () => HttpResponse.json(page([]))),
  );
  return bodies;
}

describe('account and session', () => {
  it('sends a visitor to log in and brings them back to the page they wanted', async () => {
    const bodies = acceptLogin();
    const { router, user } = renderApp('/orders');
    await waitFor(() => expect(currentUrl(router)).toBe('/login?next=%2Forders'));

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    await waitFor(() => expect(currentUrl(router)).toBe('/orders'));
    expect(await screen.findByText('No orders yet')).toBeInTheDocument();
    expect(bodies).toEqual([{ email: 'ada@example.com', password: 'correct horse battery' }]);
    expect(getAccessToken()).toBe('token-after-login');
    expect(screen.getByRole('link', { name: 'Account: Ada Lovelace' })).toBeInTheDocument();
  });

  it('never follows a "next" that leaves the shop', async () => {
    acceptLogin();
    const { router, user } = renderApp('/login?next=https://evil.example/steal');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/'));
  });

  it('shows one generic message for wrong credentials', async () => {
    server.use(http.post('/api/auth/login', () => apiError(401, 'invalid_credentials', 'Email or password is wrong.')));
    const { router, user } = renderApp('/login');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is wrong.');
    expect(currentUrl(router)).toBe('/login');
    expect(getAccessToken()).toBeNull();
  });

  it('registers, which also logs in', async () => {
    let body: unknown;
    server.use(
      http.post('/api/auth/register', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(loginResult('token-new'), { status: 201 });
      }),
    );
    const { router, user } = renderApp('/register');
    await user.type(await screen.findByLabelText('Name'), 'Ada Lovelace');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Use at least 10 characters/);
    expect(body).toBeUndefined();

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'a long enough password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/'));
    expect(body).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', password: 'a long enough password' });
    expect(getAccessToken()).toBe('token-new');
  });

  it('restores the session silently on load with the refresh cookie', async () => {
    rememberSession();
    server.use(http.post('/api/auth/refresh', () => HttpResponse.json(loginResult('token-from-cookie'))));
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Account: Ada Lovelace' })).toBeInTheDocument();
    expect(getAccessToken()).toBe('token-from-cookie');
  });

  it('sends no refresh for a visitor who never signed in here', async () => {
    let refreshes = 0;
    server.use(
      http.post('/api/auth/refresh', () => {
        refreshes += 1;
        return apiError(401, 'not_authenticated', 'No session.');
      }),
    );
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Log in' })).toBeInTheDocument();
    expect(refreshes).toBe(0);
  });

  it('forgets a session that could not be restored', async () => {
    rememberSession();
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Log in' })).toBeInTheDocument();
    expect(mightHaveSession()).toBe(false);
  });

  it('logs out: the server revokes the cookie and the in-memory token is gone', async () => {
    signInAs(customer);
    let loggedOut = false;
    server.use(
      http.post('/api/auth/logout', () => {
        loggedOut = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp('/account');
    expect(await screen.findByRole('heading', { name: 'Your account' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('link', { name: 'Log in' })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
    expect(mightHaveSession()).toBe(false);
    expect(loggedOut).toBe(true);
    expect(screen.queryByRole('link', { name: /Account/ })).not.toBeInTheDocument();
  });

  it('sends the user to log in when the session expires, and back afterwards', async () => {
    signInAs(customer, 'token-old');
    let sessionAlive = true;
    server.use(
      http.get('/api/orders/:id/', ({ request }) =>
        request.headers.get('Authorization') === 'Bearer token-after-login'
          ? HttpResponse.json(order({ number: 'R-7' }))
          : apiError(401, 'token_invalid', 'The token has expired.'),
      ),
      http.post('/api/auth/refresh', () =>
        sessionAlive
          ? HttpResponse.json(loginResult('token-old'))
          : apiError(401, 'not_authenticated', 'The refresh token has expired.'),
      ),
      http.post('/api/auth/login', () => HttpResponse.json(loginResult('token-after-login'))),
    );
    sessionAlive = false;
    const { router, user } = renderApp('/orders/abc');

    await waitFor(() => expect(currentUrl(router)).toBe('/login?next=%2Forders%2Fabc'));
    expect(await screen.findByText('Your session has expired. Please log in again.')).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(currentUrl(router)).toBe('/orders/abc'));
    expect(await screen.findByRole('heading', { name: 'Order R-7' })).toBeInTheDocument();
  });

  it('edits the profile and changes the password', async () => {
    signInAs(customer);
    server.use(
      http.patch('/api/auth/me', async ({ request }) =>
        HttpResponse.json({ ...customer, ...((await request.json()) as object) }),
      ),
      http.post('/api/auth/password', async ({ request }) => {
        const body = (await request.json()) as { current_password: string };
        return body.current_password === 'old password 1'
          ? new HttpResponse(null, { status: 204 })
          : apiError(400, 'validation_error', 'The request is not valid.', { current_password: ['Wrong password.'] });
      }),
    );
    const { router, user } = renderApp('/account');
    const profile = await screen.findByRole('form', { name: 'Profile' });
    await user.clear(within(profile).getByLabelText('Name'));
    await user.type(within(profile).getByLabelText('Name'), 'Ada King');
    await user.click(within(profile).getByRole('button', { name: 'Save profile' }));
    expect(await within(profile).findByRole('status')).toHaveTextContent('Your profile has been saved.');
    expect(screen.getByRole('link', { name: 'Account: Ada King' })).toBeInTheDocument();

    const password = screen.getByRole('form', { name: 'Change password' });
    await user.type(within(password).getByLabelText('Current password'), 'wrong');
    await user.type(within(password).getByLabelText('New password'), 'new password 2');
    await user.type(within(password).getByLabelText('Repeat new password'), 'new password 2');
    await user.click(within(password).getByRole('button', { name: 'Change password' }));
    await waitFor(() =>
      expect(within(password).getByLabelText('Current password')).toHaveAccessibleDescription('Wrong password.'),
    );

    await user.clear(within(password).getByLabelText('Current password'));
    await user.type(within(password).getByLabelText('Current password'), 'old password 1');
    await user.click(within(password).getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByText('Your password has been changed. Log in with the new one.')).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
  });
});
