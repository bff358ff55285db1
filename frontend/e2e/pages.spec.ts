/**
 * Every main page, at desktop and phone width: a screenshot of each in
 * reports/screenshots/ and an axe-core check that fails on serious or
 * critical accessibility violations. The data behind the pages (a customer
 * with a paid order and its notification) is prepared through the API; the
 * checkout outcome is reached through the form, as it only exists there.
 */
import type { Page } from '@playwright/test';

import { expect, expectAccessible, expectNoSidewaysScroll, screenshot, test, VIEWPORTS, type ViewportName } from './support/fixtures';
import { ADMIN, DEMO_CUSTOMER, fillCheckout, findProduct, newCustomer, ShopApi, TEST_CARDS } from './support/shop';

// Every test here stands alone: let them run side by side.
test.describe.configure({ mode: 'parallel' });

/** A product to show and buy: each width its own, so they never compete for stock. */
const PRODUCT_QUERY: Record<ViewportName, string> = { desktop: 'pour-over', phone: 'notebook' };

for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
  test.describe(`at ${viewport} width`, () => {
    test.use(VIEWPORTS[viewport]);

    /** What every main page must pass, and its picture. */
    const check = async (page: Page, name: string) => {
      await expectAccessible(page, `${name} (${viewport})`);
      await expectNoSidewaysScroll(page, `${name} (${viewport})`);
      await screenshot(page, name, viewport);
    };

    test('a visitor: catalog, product, log in, unknown address', async ({ page }) => {
      const product = await findProduct(page.request, { q: PRODUCT_QUERY[viewport] });
      await page.goto('/');
      await expect(page.getByRole('list', { name: 'Products' }).getByRole('listitem')).toHaveCount(24);
      await check(page, 'home');
      if (viewport === 'phone') {
        await page.getByRole('button', { name: 'Categories and filters' }).click();
        await expect(page.getByRole('navigation', { name: 'Categories' })).toBeVisible();
        await check(page, 'home-filters');
      }
      await page.goto(`/products/${product.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
      await check(page, 'product');
      await page.goto('/login');
      await check(page, 'login');
      await page.goto('/no-such-page');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
      await check(page, 'not-found');
    });

    test('a customer: cart, checkout, outcome, orders, notifications, account', async ({ page, context }) => {
      const product = await findProduct(page.request, { q: PRODUCT_QUERY[viewport] });
      const api = await ShopApi.register(context, newCustomer('Margaret Hamilton'));
      await api.addToCart(product.id, 2);

      await page.goto('/cart');
      await expect(page.getByRole('list', { name: 'Cart items' }).getByRole('listitem')).toHaveCount(1);
      await check(page, 'cart');
      await page.getByRole('link', { name: 'Go to checkout' }).click();
      await fillCheckout(page, TEST_CARDS.pays);
      await check(page, 'checkout');
      await page.getByRole('button', { name: 'Place order and pay' }).click();
      await expect(page.getByTestId('checkout-outcome')).toHaveAttribute('data-outcome', 'paid');
      await check(page, 'outcome');

      await page.getByRole('link', { name: 'View your order' }).click();
      await expect(page.getByTestId('order-status')).toHaveText('Paid');
      await check(page, 'order');
      const orderNumber = (await page.getByRole('heading', { level: 1 }).innerText()).replace(/^Order /, '');
      await page.goto('/orders');
      await expect(page.getByRole('list', { name: 'Orders' }).getByRole('listitem')).toHaveCount(1);
      await check(page, 'orders');
      await api.waitForNotification(`Order ${orderNumber} is confirmed`);
      await page.goto('/notifications');
      await expect(page.getByRole('list', { name: 'Notifications' })).toContainText(`Order ${orderNumber} is confirmed`);
      await check(page, 'notifications');
      await page.goto('/account');
      await expect(page.getByRole('form', { name: 'Profile' })).toBeVisible();
      await check(page, 'account');
      await page.goto('/admin');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
      await check(page, 'not-allowed');
    });

    test('the admin: products, product, orders', async ({ page, context, openBrowser }) => {
      const product = await findProduct(page.request, { q: PRODUCT_QUERY[viewport] });
      // An order for the list, whatever else has run: the seeded customer buys one.
      const customer = await ShopApi.logIn(await openBrowser(), DEMO_CUSTOMER);
      await customer.clearCart();
      await customer.addToCart(product.id, 1);
      await customer.checkout(TEST_CARDS.pays);
      await ShopApi.logIn(context, ADMIN);
      await page.goto('/admin/products');
      await expect(page.getByRole('table')).toBeVisible();
      await check(page, 'admin-products');
      await page.goto(`/admin/products/${product.id}`);
      await expect(page.getByTestId('stock-on-hand')).toBeVisible();
      await check(page, 'admin-product');
      await page.goto('/admin/orders');
      await expect(page.getByRole('table')).toBeVisible();
      await check(page, 'admin-orders');
    });
  });
}
