import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { ConsoleGuard } from './console-guard';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR ?? resolve(REPO_ROOT, 'reports', 'screenshots'));
/** The README's picture of the shop, rewritten only when asked for. */
const README_SCREENSHOT = resolve(REPO_ROOT, 'docs', 'screenshots', 'shop.png');

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

type Fixtures = {
  /** Console errors of every page this test opens fail the test (see ConsoleGuard). */
  consoleGuard: ConsoleGuard;
  /** Another browser (a second person), watched by the same guard and closed afterwards. */
  openBrowser: (options?: BrowserContextOptions) => Promise<BrowserContext>;
};

export const test = base.extend<Fixtures>({
  consoleGuard: [
    // (Playwright's `use` is named `provide` here: lint rules take `use` for React's hook.)
    async ({ context }, provide) => {
      const guard = new ConsoleGuard();
      guard.watch(context);
      await provide(guard);
      guard.flush();
      expect(guard.report(), 'console errors and uncaught exceptions in the browser').toEqual([]);
    },
    { auto: true },
  ],
  openBrowser: async ({ browser, consoleGuard, baseURL, locale, timezoneId }, provide) => {
    const opened: BrowserContext[] = [];
    await provide(async (options = {}) => {
      const context = await browser.newContext({ baseURL, locale, timezoneId, ...options });
      consoleGuard.watch(context);
      opened.push(context);
      return context;
    });
    for (const context of opened) await context.close();
  },
});

export { expect };

/**
 * Waits until the page shows content, not a loading state: no spinner, no
 * list refreshing, every image in view loaded. Screenshots and accessibility checks
 * look at the page a user would look at.
 */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('.loading')).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  // Lazy images below the fold never load; those in view must have.
  await page.waitForFunction(() =>
    Array.from(document.images)
      .filter((image) => {
        const box = image.getBoundingClientRect();
        return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
      })
      .every((image) => image.complete),
  );
}

/**
 * A screenshot of the top of the page, as the viewport shows it, kept in
 * reports/screenshots/ as <name>-<viewport>.png. With UPDATE_README_SCREENSHOT=1
 * the desktop picture of the shop's main page also replaces docs/screenshots/shop.png.
 */
export async function screenshot(page: Page, name: string, viewport: ViewportName): Promise<void> {
  // The top of the page, as one arrives on it, wherever the test has scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await settled(page);
  const path = resolve(SCREENSHOT_DIR, `${name}-${viewport}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  if (name === 'home' && viewport === 'desktop' && process.env.UPDATE_README_SCREENSHOT === '1') {
    mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
    copyFileSync(path, README_SCREENSHOT);
  }
}

/** Nothing sticks out sideways: the page never scrolls horizontally (wide tables scroll inside their box). */
export async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Inside a scrolling box only what is positioned out of it can widen the page.
    const escapes = (element: Element) => {
      if (['absolute', 'fixed'].includes(getComputedStyle(element).position)) return true;
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') return false;
      }
      return true;
    };
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > width + 1 && escapes(element))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.slice(0, 30) ?? ''}"`);
    return document.documentElement.scrollWidth > width ? culprits : [];
  });
  expect(overflow, `${name} (${page.url()}) scrolls sideways; wider than the page are`).toEqual([]);
}

/** axe-core on the page as it is now; serious and critical violations fail the test. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await settled(page);
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const described = blocking.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.split('\n').join(' ') ?? ''}`)
        .join('\n'),
  );
  expect(described, `accessibility of ${name} (${page.url()})`).toEqual([]);
}
