/**
 * The console check that every browser test relies on must catch what it is
 * for and let through only the two answers it names. These pages are served
 * by the test itself (no shop needed), so each case is exactly what it says.
 */
import type { Browser } from '@playwright/test';

import { ConsoleGuard } from './support/console-guard';
import { expect, test } from './support/fixtures';

const ORIGIN = 'http://shop.test';

/**
 * Opens a page whose script runs `body` (with `call(method, path)` to fetch),
 * answers /api/... with the given statuses, and returns what the guard reports.
 */
async function reportFor(
  browser: Browser,
  body: string,
  answers: Record<string, number>,
  prepare: (guard: ConsoleGuard) => void = () => {},
): Promise<string[]> {
  const context = await browser.newContext();
  await context.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') {
      const script = `const call = (method, path) => fetch(path, { method });
        (async () => { ${body} })().finally(() => { window.done = true; });`;
      await route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>t</title><script>${script}</script>` });
      return;
    }
    await route.fulfill({ status: answers[pathname] ?? 404, contentType: 'application/json', body: '{}' });
  });
  const guard = new ConsoleGuard();
  prepare(guard);
  guard.watch(context);
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true);
  await context.close();
  guard.flush();
  return guard.report();
}

test.describe('the console guard', () => {
  test('passes a clean page', async ({ browser }) => {
    expect(await reportFor(browser, `await call('GET', '/api/catalog/products/');`, { '/api/catalog/products/': 200 })).toEqual([]);
  });

  test('reports console errors and uncaught exceptions', async ({ browser }) => {
    const report = await reportFor(browser, `console.error('boom'); setTimeout(() => { throw new Error('bang'); }); await new Promise((r) => setTimeout(r, 50));`, {});
    expect(report).toEqual([expect.stringContaining('boom'), expect.stringContaining('uncaught Error: bang')]);
  });

  test('lets one 401 through when a silent refresh follows it', async ({ browser }) => {
    const answers = { '/api/cart/': 401, '/api/auth/refresh': 200 };
    expect(await reportFor(browser, `await call('GET', '/api/cart/'); await call('POST', '/api/auth/refresh');`, answers)).toEqual([]);
  });

  test('reports a 401 without a refresh, a failed refresh and a second 401', async ({ browser }) => {
    expect(await reportFor(browser, `await call('GET', '/api/cart/');`, { '/api/cart/': 401 })).toEqual([expect.stringContaining('401')]);

    const refused = { '/api/cart/': 401, '/api/auth/refresh': 401 };
    const afterFailedRefresh = await reportFor(browser, `await call('GET', '/api/cart/'); await call('POST', '/api/auth/refresh');`, refused);
    expect(afterFailedRefresh).toHaveLength(2);

    const twice = { '/api/cart/': 401, '/api/auth/refresh': 200 };
    const report = await reportFor(browser, `await call('GET', '/api/cart/'); await call('POST', '/api/auth/refresh'); await call('GET', '/api/cart/');`, twice);
    expect(report).toEqual([expect.stringContaining('/api/cart/')]);
  });

  test('lets an expected answer through only where it was expected', async ({ browser }) => {
    const answers = { '/api/orders/': 402, '/api/cart/': 402 };
    const report = await reportFor(browser, `await call('POST', '/api/orders/'); await call('GET', '/api/cart/');`, answers, (guard) =>
      guard.expectAnswer(402, '/api/orders/'),
    );
    expect(report).toEqual([expect.stringContaining('/api/cart/')]);
  });
});
