/**
 * A declined card: the customer is told, nothing is sold (the
 * stock is what it was), the cart is kept, and another card then pays.
 * On a phone, so that the small screen is driven end to end as well.
 */
import { expect, test, VIEWPORTS } from './support/fixtures';
import { fillCheckout, findProduct, newCustomer, ShopApi, TEST_CARDS } from './support/shop';

test.use(VIEWPORTS.phone);

test('a declined card changes nothing; another card then pays', async ({ page, context, consoleGuard }) => {
  // The orders service answers a declined card with 402: the browser logs it, the shop expects it.
  consoleGuard.expectAnswer(402, '/api/orders/');
  const api = await ShopApi.register(context, newCustomer('Katherine Johnson'));
  const product = await findProduct(context.request, { q: 'kettle' });
  const before = await api.available(product.slug);

  await test.step('put the product in the cart', async () => {
    await page.goto(`/products/${product.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
    await page.getByRole('link', { name: 'View cart' }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
  });

  await test.step('pay with the card that is declined', async () => {
    await fillCheckout(page, TEST_CARDS.declined);
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    const outcome = page.getByTestId('checkout-outcome');
    await expect(outcome).toHaveAttribute('data-outcome', 'declined');
    await expect(outcome.getByRole('heading', { level: 1 })).toHaveText('Payment declined');
    await expect(outcome.getByRole('heading', { level: 1 })).toBeFocused();
  });

  await test.step('nothing was sold and the cart is kept', async () => {
    // The reservation is released at once (and again when the catalog sees the event).
    await expect.poll(() => api.available(product.slug), { timeout: 15_000 }).toBe(before);
    await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  });

  await test.step('another card pays', async () => {
    await page.getByRole('button', { name: 'Try another card' }).click();
    // The address is kept; only the card number must be entered again.
    await expect(page.getByRole('textbox', { name: 'Full name' })).not.toHaveValue('');
    await expect(page.getByRole('textbox', { name: 'Card number' })).toHaveValue('');
    await page.getByRole('region', { name: 'Test cards' }).getByRole('button', { name: /Use test card 4242 4242 4242 4242/ }).click();
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await expect(page.getByTestId('checkout-outcome')).toHaveAttribute('data-outcome', 'paid');
    await expect.poll(() => api.available(product.slug), { timeout: 15_000 }).toBe(before - 1);
  });

  await test.step('the order history shows both attempts', async () => {
    await page.goto('/orders');
    const rows = page.getByRole('list', { name: 'Orders' }).getByRole('listitem');
    await expect(rows).toHaveCount(2);
    // Newest first.
    await expect(rows.nth(0)).toContainText('Paid');
    await expect(rows.nth(1)).toContainText('Payment failed');
    await rows.nth(1).getByRole('link', { name: /^Order / }).click();
    await expect(page.getByTestId('order-status')).toHaveText('Payment failed');
  });
});
