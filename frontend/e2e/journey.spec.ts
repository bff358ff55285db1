/**
 * The shop's main story, end to end on the real services: a visitor finds a
 * lamp, creates an account on the way, pays with the test card that pays, is
 * told so by a notification; the admin ships the order and the customer sees
 * it. One test, because each step needs the one before.
 */
import { expect, test } from './support/fixtures';
import { ADMIN, fillCheckout, findProducts, newCustomer, ShopApi, TEST_CARDS, unreadInBell } from './support/shop';

test('a visitor finds a product, registers, pays, is notified and sees the order shipped', async ({ page, openBrowser }) => {
  const customer = newCustomer('Grace Hopper');
  const productList = page.getByRole('list', { name: 'Products' });
  const productNames = () => productList.getByRole('listitem').getByRole('heading').allInnerTexts();

  await test.step('browse the catalog', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible();
    await expect(productList.getByRole('listitem')).toHaveCount(24);
    await expect(page.getByRole('navigation', { name: 'Product pages' }).getByRole('link', { name: 'Page 2' })).toBeVisible();
  });

  await test.step('search', async () => {
    await page.getByRole('searchbox', { name: 'Search products' }).fill('lamp');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/\/\?q=lamp$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “lamp”');
    const expected = await findProducts(page.request, { q: 'lamp' });
    await expect.poll(productNames).toEqual(expected.map((product) => product.name));
  });

  await test.step('filter: category, price, stock', async () => {
    const categories = page.getByRole('navigation', { name: 'Categories' });
    await categories.getByRole('link', { name: /^Home\b/ }).click();
    await categories.getByRole('link', { name: /^Lighting\b/ }).click();
    await expect(categories.getByRole('link', { name: /^Lighting\b/ })).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveURL(/\/\?q=lamp&category=lighting$/);
    await page.getByRole('textbox', { name: 'Max price (€)' }).fill('100');
    await page.getByRole('button', { name: 'Apply price' }).click();
    await expect(page).toHaveURL(/\/\?q=lamp&category=lighting&max_price=100$/);
    // The box follows the URL, which changes a moment after the click: wait for it, not for the click.
    const inStockOnly = page.getByRole('checkbox', { name: 'In stock only' });
    await inStockOnly.click();
    await expect(inStockOnly).toBeChecked();
    await expect(page).toHaveURL(/\/\?q=lamp&category=lighting&max_price=100&in_stock=true$/);
    // The page shows exactly what the catalog answers for these filters.
    const expected = await findProducts(page.request, { q: 'lamp', category: 'lighting', max_price: '100', in_stock: 'true' });
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(productNames).toEqual(expected.map((product) => product.name));
  });

  const [productName = ''] = await productNames();

  await test.step('open a product', async () => {
    await productList.getByRole('link', { name: productName }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);
    await expect(page.getByText(/^(In stock|Only \d+ left)$/)).toBeVisible();
  });
  const productPath = new URL(page.url()).pathname;

  let api: ShopApi;
  await test.step('add to cart as a visitor: register first, come back', async () => {
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(productPath)}`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page).toHaveURL(`/register?next=${encodeURIComponent(productPath)}`);
    await page.getByRole('textbox', { name: 'Name' }).fill(customer.name);
    await page.getByRole('textbox', { name: 'Email' }).fill(customer.email);
    await page.getByLabel('Password').fill(customer.password);
    const registered = page.waitForResponse((response) => response.url().endsWith('/api/auth/register'));
    await page.getByRole('button', { name: 'Create account' }).click();
    const { access_token } = (await (await registered).json()) as { access_token: string };
    api = ShopApi.withToken(page.context(), access_token);
    await expect(page).toHaveURL(productPath);
    await expect(page.getByRole('link', { name: `Account: ${customer.name}` })).toBeVisible();

    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Added 1 × ${productName} to your cart.` })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  });

  await test.step('cart', async () => {
    await page.getByRole('link', { name: 'Cart, 1 item' }).click();
    await expect(page.getByRole('list', { name: 'Cart items' }).getByRole('listitem', { name: productName })).toBeVisible();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await expect(page).toHaveURL('/checkout');
  });

  let orderNumber = '';
  await test.step('checkout with the card that pays', async () => {
    await fillCheckout(page, TEST_CARDS.pays);
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    const outcome = page.getByTestId('checkout-outcome');
    await expect(outcome).toHaveAttribute('data-outcome', 'paid');
    await expect(outcome.getByRole('heading', { level: 1 })).toHaveText('Thank you! Your order is paid');
    orderNumber = (await outcome.locator('strong').first().innerText()).trim();
    expect(orderNumber).not.toBe('');
    await expect(page.getByRole('link', { name: 'Cart, 0 items' })).toBeVisible();
  });

  await test.step('the order shows paid', async () => {
    await page.getByRole('link', { name: 'View your order' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Order ${orderNumber}`);
    await expect(page.getByTestId('order-status')).toHaveText('Paid');
    await expect(page.getByRole('list', { name: 'Status history' })).toContainText('Paid');
  });
  const orderPath = new URL(page.url()).pathname;

  await test.step('a notification arrives, without reloading the page', async () => {
    const title = `Order ${orderNumber} is confirmed`;
    await api.waitForNotification(title);
    const unread = await api.unreadCount();
    // The bell asks every 15 s: give it one round and a little.
    await expect.poll(() => unreadInBell(page), { timeout: 25_000 }).toBeGreaterThanOrEqual(unread);

    await page.getByRole('link', { name: /^Notifications, \d+ unread$/ }).click();
    const inbox = page.getByRole('list', { name: 'Notifications' });
    await expect(inbox.getByText(title)).toBeVisible();
    await inbox.getByRole('button', { name: `Mark as read: ${title}` }).click();
    await expect(inbox.getByRole('button', { name: `Mark as read: ${title}` })).toHaveCount(0);
    // Marking asks the bell again: it shows what the server counts (other news may still arrive).
    await expect
      .poll(async () => (await unreadInBell(page)) === (await api.unreadCount()), { timeout: 20_000 })
      .toBe(true);
  });

  await test.step('the admin marks the order shipped', async () => {
    const adminPage = await (await openBrowser()).newPage();
    await adminPage.goto('/admin');
    await expect(adminPage).toHaveURL(`/login?next=${encodeURIComponent('/admin')}`);
    await adminPage.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await adminPage.getByLabel('Password').fill(ADMIN.password);
    await adminPage.getByRole('button', { name: 'Log in' }).click();
    await expect(adminPage).toHaveURL('/admin/products');

    await adminPage.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Orders' }).click();
    await adminPage.getByRole('combobox', { name: 'Status' }).selectOption('paid');
    await expect(adminPage).toHaveURL('/admin/orders?status=paid');
    const row = adminPage.getByTestId(`admin-order-${orderNumber}`);
    await row.getByRole('button', { name: `Mark shipped: order ${orderNumber}` }).click();
    // Shipped, it leaves the list of paid orders and joins the shipped ones, one step from delivered.
    await expect(row).toHaveCount(0);
    await adminPage.getByRole('combobox', { name: 'Status' }).selectOption('shipped');
    await expect(adminPage).toHaveURL('/admin/orders?status=shipped');
    await expect(row.getByRole('cell', { name: 'Shipped', exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: `Mark delivered: order ${orderNumber}` })).toBeVisible();
  });

  await test.step('the customer sees "Shipped" (after a reload, still signed in)', async () => {
    await page.goto(orderPath);
    await expect(page.getByRole('link', { name: `Account: ${customer.name}` })).toBeVisible();
    await expect(page.getByTestId('order-status')).toHaveText('Shipped');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Orders' }).getByRole('link', { name: `Order ${orderNumber}` })).toBeVisible();
  });
});
