/**
 * The back office is for admins: visitors are sent to log in (and brought
 * back), customers are told it is not for them, and the API agrees.
 */
import { expect, test } from './support/fixtures';
import { newCustomer, ShopApi } from './support/shop';

test('a visitor who opens the back office is asked to log in first', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/admin')}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto('/admin/orders?status=paid');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/admin/orders?status=paid')}`);
});

test('a customer cannot open the back office', async ({ page, context }) => {
  const customer = newCustomer('Alan Turing');
  const api = await ShopApi.register(context, customer);

  for (const path of ['/admin', '/admin/products', '/admin/orders']) {
    await page.goto(path);
    await expect(page.getByRole('link', { name: `Account: ${customer.name}` })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
    await expect(page.getByRole('navigation', { name: 'Back office' })).toHaveCount(0);
  }
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  // The page only spares the customer a screen of errors; the services refuse on their own.
  expect(await api.status('/api/orders/admin/orders/')).toBe(403);
  expect(await api.status('/api/catalog/admin/products/')).toBe(403);
});
