/**
 * Browser tests: the built SPA in a real Chromium, through the gateway, on
 * the whole stack. `python scripts/browser_tests.py` (from the repository
 * root) starts that stack as `make dev` does, runs these tests and stops it;
 * it passes the settings below in the environment.
 *
 * Playwright does not download a browser here: it drives the Chromium the
 * machine has (Debian: `apt-get install -y chromium`), or CHROMIUM_PATH.
 */
import { defineConfig } from '@playwright/test';

const baseURL = process.env.SHOP_BASE_URL ?? 'http://localhost:8080';
const reports = process.env.BROWSER_REPORTS_DIR ?? '../reports';
const junit = process.env.BROWSER_JUNIT_FILE;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Traces and failure screenshots; reports/ is kept after the run and ignored by git.
  outputDir: `${reports}/playwright`,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Each spec file is one story; two stories run side by side (two cores).
  fullyParallel: false,
  workers: Number(process.env.BROWSER_TEST_WORKERS ?? 2),
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: junit ? [['list'], ['junit', { outputFile: junit }]] : [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    // One click or fill never waits longer than this; the journey's own waits are bounded too.
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        // Without these Chromium phones home at start; on a closed network that fails noisily.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
