import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { cart, cartItem, customer, order } from '@/testing/mocks/data';
import { apiError } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp, signInAs } from '@/testing/test-utils';

const PAYS = '4242424242424242';
const DECLINED = '4000000000000002';

type Recorded = { key: string | null; body: { payment: { card_number: string } } };

/** Answers POST /api/orders/ with the given responses in turn and records each request. */
function checkoutAnswers(...answers: (() => Response | Promise<Response>)[]) {
  const requests: Recorded[] = [];
  server.use(
    http.post('/api/orders/', async ({ request }) => {
      requests.push({ key: request.headers.get('Idempotency-Key'), body: (await request.json()) as Recorded['body'] });
      const answer = answers[Math.min(requests.length, answers.length) - 1]!;
      return answer();
    }),
  );
  return requests;
}

const paid = () => HttpResponse.json(order({ number: 'R-20001', total: '29.90' }), { status: 201 });

async function fillAddress(user: UserEvent) {
  const name = await screen.findByLabelText('Full name');
  await user.clear(name);
  await user.type(name, 'Ada Lovelace');
  await user.type(screen.getByLabelText('Street and house number'), 'Hauptstr. 1');
  await user.type(screen.getByLabelText('Postal code'), '10115');
  await user.type(screen.getByLabelText('City'), 'Berlin');
  await user.selectOptions(screen.getByRole('combobox', { name: 'Country' }), 'DE');
}

async function fillCard(user: UserEvent, number: string) {
  const card = screen.getByLabelText('Card number');
  await user.clear(card);
  await user.type(card, number);
  const expiry = screen.getByLabelText('Expiry (MM/YY)');
  await user.clear(expiry);
  await user.type(expiry, '1230');
  const cvc = screen.getByLabelText('CVC');
  await user.clear(cvc);
  await user.type(cvc, '123');
}

const placeOrder = () => screen.getByRole('button', { name: /Place order and pay|Placing your order/ });

describe('checkout', () => {
  beforeEach(() => {
    signInAs(customer);
    server.use(
      http.get('/api/cart/', () =>
        HttpResponse.json(
          cart([cartItem({ product_id: 1, name: 'Blue mug', quantity: 2, line_total: '25.00' })], { subtotal: '25.00' }),
        ),
      ),
    );
  });

  it('checks the form before sending anything', async () => {
    const requests = checkoutAnswers(paid);
    const { user } = renderApp('/checkout');
    const name = await screen.findByLabelText('Full name');
    expect(name).toHaveValue('Ada Lovelace');
    await user.clear(name);
    await user.type(screen.getByLabelText('Card number'), '4242 4242 4242 4241');
    await user.type(screen.getByLabelText('Expiry (MM/YY)'), '0120');
    await user.click(placeOrder());

    expect(screen.getByText('Please correct the marked fields.')).toBeInTheDocument();
    expect(screen.getByLabelText('Full name')).toHaveAccessibleDescription('Enter the name of the recipient.');
    expect(screen.getByLabelText('Street and house number')).toHaveAccessibleDescription('Enter the street and house number.');
    expect(screen.getByLabelText('City')).toHaveAccessibleDescription('Enter the city.');
    expect(screen.getByLabelText('Postal code')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('combobox', { name: 'Country' })).toHaveAccessibleDescription('Choose a country.');
    expect(screen.getByLabelText('Card number')).toHaveAccessibleDescription('Enter a valid card number.');
    expect(screen.getByLabelText('Expiry (MM/YY)')).toHaveAccessibleDescription('Enter an expiry date in the future, as MM/YY.');
    expect(screen.getByLabelText('CVC')).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toHaveLength(0);
  });

  it('shows the documented test cards and fills one in', async () => {
    const { user } = renderApp('/checkout');
    const cards = await screen.findByRole('region', { name: 'Test cards' });
    expect(cards).toHaveTextContent('4242 4242 4242 4242');
    expect(cards).toHaveTextContent('4000 0000 0000 0002');
    expect(cards).toHaveTextContent('4000 0000 0000 9995');
    await user.click(within(cards).getByRole('button', { name: /Use test card 4000 0000 0000 0002/ }));
    expect(screen.getByLabelText('Card number')).toHaveValue('4000 0000 0000 0002');
  });

  it('places the order and shows it paid', async () => {
    const requests = checkoutAnswers(paid);
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, PAYS);
    await user.click(placeOrder());

    expect(await screen.findByRole('heading', { name: 'Thank you! Your order is paid' })).toBeInTheDocument();
    expect(screen.getByText('R-20001')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'View your order' })).toHaveAttribute('href', `/orders/${order().id}`);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[0]!.body).toEqual({
      shipping_address: { name: 'Ada Lovelace', line1: 'Hauptstr. 1', line2: '', city: 'Berlin', postal_code: '10115', country: 'DE' },
      payment: { card_number: PAYS, expiry: '12/30', cvc: '123' },
    });
  });

  it('sends one request for a double click, and disables the button while pending', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const requests = checkoutAnswers(async () => {
      await gate;
      return paid();
    });
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, PAYS);
    await user.dblClick(placeOrder());

    await waitFor(() => expect(placeOrder()).toBeDisabled());
    expect(placeOrder()).toHaveTextContent('Placing your order…');
    release();
    expect(await screen.findByRole('heading', { name: 'Thank you! Your order is paid' })).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('retries an unanswered attempt with the same Idempotency-Key', async () => {
    const requests = checkoutAnswers(
      () => HttpResponse.error(),
      () => apiError(409, 'idempotency_in_progress', 'This order is still being placed.'),
      paid,
    );
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, PAYS);
    await user.click(placeOrder());

    expect(await screen.findByRole('heading', { name: 'We could not confirm your order' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('heading', { name: 'Your order is still being processed' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('heading', { name: 'Thank you! Your order is paid' })).toBeInTheDocument();

    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.key)).size).toBe(1);
  });

  it('shows a declined payment and makes a new attempt, with a new key, for another card', async () => {
    const requests = checkoutAnswers(
      () => apiError(402, 'payment_declined', 'The card was declined.', { order_id: 'order-1' }),
      paid,
    );
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, DECLINED);
    await user.click(placeOrder());

    expect(await screen.findByRole('heading', { name: 'Payment declined' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See the order' })).toHaveAttribute('href', '/orders/order-1');
    await user.click(screen.getByRole('button', { name: 'Try another card' }));

    // The address is kept; only the card is asked for again.
    expect(screen.getByLabelText('City')).toHaveValue('Berlin');
    expect(screen.getByLabelText('Card number')).toHaveValue('');
    await fillCard(user, PAYS);
    await user.click(placeOrder());
    expect(await screen.findByRole('heading', { name: 'Thank you! Your order is paid' })).toBeInTheDocument();

    expect(requests.map((r) => r.body.payment.card_number)).toEqual([DECLINED, PAYS]);
    expect(requests[0]!.key).not.toBe(requests[1]!.key);
  });

  it('names the lines that ran out of stock', async () => {
    checkoutAnswers(() =>
      apiError(409, 'out_of_stock', 'Some items are out of stock.', { lines: [{ product_id: 1, requested: 2, available: 1 }] }),
    );
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, PAYS);
    await user.click(placeOrder());

    expect(await screen.findByRole('heading', { name: 'Some items are out of stock' })).toBeInTheDocument();
    expect(screen.getByText('Blue mug: you asked for 2, 1 left')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Review your cart' })).toHaveAttribute('href', '/cart');
  });

  it('says when the payment provider is unavailable', async () => {
    const requests = checkoutAnswers(
      () => apiError(503, 'payment_unavailable', 'The payment provider is unavailable.'),
      paid,
    );
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, '4000000000009995');
    await user.click(placeOrder());

    const outcome = await screen.findByTestId('checkout-outcome');
    expect(outcome).toHaveAttribute('data-outcome', 'unavailable');
    expect(within(outcome).getByRole('heading', { name: 'Payment service unavailable' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Back to checkout' }));
    await fillCard(user, PAYS);
    await user.click(placeOrder());
    expect(await screen.findByRole('heading', { name: 'Thank you! Your order is paid' })).toBeInTheDocument();
    expect(requests[0]!.key).not.toBe(requests[1]!.key);
  });

  it('puts server validation errors on their fields', async () => {
    checkoutAnswers(() =>
      apiError(400, 'validation_error', 'The request is not valid.', {
        shipping_address: { postal_code: ['Not a postal code of Germany.'] },
      }),
    );
    const { user } = renderApp('/checkout');
    await fillAddress(user);
    await fillCard(user, PAYS);
    await user.click(placeOrder());

    await waitFor(() =>
      expect(screen.getByLabelText('Postal code')).toHaveAccessibleDescription('Not a postal code of Germany.'),
    );
  });
});
