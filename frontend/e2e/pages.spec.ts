/**
 * Every main page, at desktop and phone width: a screenshot of each in
 * reports/screenshots/ and an axe-core check that fails on serious or
 * critical accessibility violations. The data behind the pages (a customer
 * with a paid order and its notification) is prepared through the API; the
 * checkout outcome is reached through the form, as it only exists there.
 */
import type { Page } from '@playwright/test';

import { expect, expectAccessible, expectNoSidewaysScroll, screenshot, test, VIEWPORTS, type ViewportName } from './support/fixtures';
import { ADMIN, fillCheckout, findProduct, newCustomer, ShopApi, TEST_CARDS } from './support/shop';

// The two widths are independent: let them run side by side.
test.describe.configure({ mode: 'parallel' });

/** A product to show and buy: each width its own, so they never compete for stock. */
const PRODUCT_QUERY: Record<ViewportName, string> = { desktop: 'pour-over', phone: 'notebook' };

for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
  test(`main pages at ${viewport} width: screenshots and accessibility`, async ({ openBrowser }) => {
    const check = async (page: Page, name: string) => {
      await expectAccessible(page, `${name} (${viewport})`);
      await expectNoSidewaysScroll(page, `${name} (${viewport})`);
      await screenshot(page, name, viewport);
    };
    const visitor = await (await openBrowser(VIEWPORTS[viewport])).newPage();
    const product = await findProduct(visitor.request, { q: PRODUCT_QUERY[viewport] });

    await test.step('a visitor: catalog, product, log in, unknown page', async () => {
      await visitor.goto('/');
      await expect(visitor.getByRole('list', { name: 'Products' }).getByRole('listitem')).toHaveCount(24);
      await check(visitor, 'home');
      if (viewport === 'phone') {
        await visitor.getByRole('button', { name: 'Categories and filters' }).click();
        await expect(visitor.getByRole('navigation', { name: 'Categories' })).toBeVisible();
        await check(visitor, 'home-filters');
      }
      await visitor.goto(`/products/${product.slug}`);
      await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(product.name);
      await check(visitor, 'product');
      await visitor.goto('/login');
      await check(visitor, 'login');
      await visitor.goto('/no-such-page');
      await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Page not found');
      await check(visitor, 'not-found');
    });

    const customerContext = await openBrowser(VIEWPORTS[viewport]);
    const api = await ShopApi.register(customerContext, newCustomer('Margaret Hamilton'));
    await api.addToCart(product.id, 2);
    const page = await customerContext.newPage();

    await test.step('a customer: cart, checkout, outcome', async () => {
      await page.goto('/cart');
      await expect(page.getByRole('list', { name: 'Cart items' }).getByRole('listitem')).toHaveCount(1);
      await check(page, 'cart');
      await page.getByRole('link', { name: 'Go to checkout' }).click();
      await fillCheckout(page, TEST_CARDS.pays);
      await check(page, 'checkout');
      await page.getByRole('button', { name: 'Place order and pay' }).click();
      await expect(page.getByTestId('checkout-outcome')).toHaveAttribute('data-outcome', 'paid');
      await check(page, 'outcome');
    });

    await test.step('a customer: order, orders, notifications, account', async () => {
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

    await test.step('the admin: products, product, orders', async () => {
      const adminContext = await openBrowser(VIEWPORTS[viewport]);
      await ShopApi.logIn(adminContext, ADMIN);
      const admin = await adminContext.newPage();
      await admin.goto('/admin/products');
      await expect(admin.getByRole('table')).toBeVisible();
      await check(admin, 'admin-products');
      await admin.goto(`/admin/products/${product.id}`);
      await expect(admin.getByTestId('stock-on-hand')).toBeVisible();
      await check(admin, 'admin-product');
      await admin.goto('/admin/orders');
      await expect(admin.getByRole('table')).toBeVisible();
      await check(admin, 'admin-orders');
    });
  });
}
