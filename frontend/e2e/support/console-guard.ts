import type { BrowserContext, ConsoleMessage, Page, Response } from '@playwright/test';

/** An error answer the test provokes on purpose, e.g. 402 for a declined card. */
type ExpectedAnswer = { status: number; path: string };

type Problem = { page: string; text: string };

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

/**
 * Collects what a user would never see but a broken shop leaves behind:
 * console errors and uncaught exceptions, in every page of the contexts it
 * watches.
 *
 * Chromium reports every HTTP error answer to fetch() as a console error.
 * Two kinds are not faults of the shop and are let through:
 * - answers the test provokes itself and declares with `expectAnswer`
 *   (the orders service answers a declined card with 402);
 * - one 401 per page when it is followed by a successful silent refresh
 *   (an access token that expired between two requests).
 */
export class ConsoleGuard {
  private readonly problems: Problem[] = [];
  private readonly expected: ExpectedAnswer[] = [];
  /** Per page: a 401 waiting to see whether a silent refresh follows it. */
  private readonly held: Problem[][] = [];

  watch(context: BrowserContext): void {
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
  }

  expectAnswer(status: number, path: string): void {
    this.expected.push({ status, path });
  }

  /** Everything that went wrong, one line each; empty when the run was clean. */
  report(): string[] {
    return this.problems.map((problem) => `${problem.page}: ${problem.text}`);
  }

  private watchPage(page: Page): void {
    const unauthorized: Problem[] = [];
    page.on('pageerror', (error) => {
      this.problems.push({ page: page.url(), text: `uncaught ${error.name}: ${error.message}` });
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const problem = { page: page.url(), text: describe(message) };
      const status = Number(FAILED_RESOURCE.exec(message.text())?.[1] ?? 0);
      if (status && this.isExpected(status, message.location().url)) return;
      if (status === 401 && unauthorized.length === 0 && !isRefresh(message.location().url)) {
        // Held back until we know whether a silent refresh follows.
        unauthorized.push(problem);
        return;
      }
      this.problems.push(problem);
    });
    page.on('response', (response: Response) => {
      if (unauthorized.length && isRefresh(response.url())) {
        const held = unauthorized.splice(0);
        if (response.status() !== 200) this.problems.push(...held);
      }
    });
    this.held.push(unauthorized);
  }

  /** A 401 still held at the end had no refresh after it: that is a real error. */
  flush(): void {
    for (const waiting of this.held) this.problems.push(...waiting.splice(0));
  }

  private isExpected(status: number, url: string): boolean {
    const path = url ? new URL(url).pathname : '';
    return this.expected.some((answer) => answer.status === status && path.startsWith(answer.path));
  }
}

function isRefresh(url: string): boolean {
  return Boolean(url) && new URL(url).pathname === '/api/auth/refresh';
}

function describe(message: ConsoleMessage): string {
  const where = message.location().url;
  return where ? `${message.text()} (${where})` : message.text();
}
