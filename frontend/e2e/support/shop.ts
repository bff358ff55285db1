/**
 * What the browser tests know about the shop: the seeded admin, the test
 * cards, and a small client of the public API (through the gateway, like the
 * SPA) for the preparations a test is not about, such as a customer who has
 * already paid for an order.
 */
import { expect, type APIRequestContext, type APIResponse, type BrowserContext, type Page } from '@playwright/test';

export type Person = { name: string; email: string; password: string };

/** Created by the development seed that `make dev` runs. */
export const ADMIN: Person = { name: 'Demo Admin', email: 'admin@shop.example', password: 'Harbour-Lantern-42' };
export const DEMO_CUSTOMER: Person = { name: 'Demo Customer', email: 'customer@shop.example', password: 'Meadow-Compass-17' };

export const TEST_CARDS = { pays: '4242 4242 4242 4242', declined: '4000 0000 0000 0002' } as const;

export const ADDRESS = { name: 'Ada Lovelace', line1: 'Marktstraße 12', postal_code: '10115', city: 'Berlin', country: 'DE' };

/** A customer nobody has registered yet: every test run has its own. */
export function newCustomer(name = 'Ada Lovelace'): Person {
  const [id, secret] = [crypto.randomUUID(), crypto.randomUUID()].map((uuid) => uuid.replaceAll('-', '').slice(0, 12));
  // The password shares nothing with the name or e-mail address: the shop refuses those.
  return { name, email: `browser-${id}@example.com`, password: `Orchard-${secret}` };
}

export type ProductSummary = { id: number; slug: string; name: string; price: string; in_stock: boolean; available: number };
export type OrderSummary = { id: string; number: string; status: string; total: string };
export type Notification = { id: number; title: string; read_at: string | null };

async function json<T>(response: APIResponse, what: string): Promise<T> {
  if (!response.ok()) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/**
 * The shop's public API as one signed-in person sees it. The requests share
 * the browser context's cookies, so signing in here also signs in the pages
 * of that context (the refresh cookie restores the session on their first load).
 */
export class ShopApi {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  static async register(context: BrowserContext, person: Person): Promise<ShopApi> {
    const response = await context.request.post('/api/auth/register', { data: person });
    return ShopApi.signedIn(context, await json<{ access_token: string }>(response, `register ${person.email}`));
  }

  static async logIn(context: BrowserContext, person: Person): Promise<ShopApi> {
    const response = await context.request.post('/api/auth/login', {
      data: { email: person.email, password: person.password },
    });
    return ShopApi.signedIn(context, await json<{ access_token: string }>(response, `log in ${person.email}`));
  }

  /** For a session the page itself started (registered or logged in through the form). */
  static withToken(context: BrowserContext, accessToken: string): ShopApi {
    return new ShopApi(context.request, accessToken);
  }

  private static async signedIn(context: BrowserContext, result: { access_token: string }): Promise<ShopApi> {
    // The SPA restores a session after a load only when this browser has had one (a flag, no secret).
    await context.addInitScript(() => {
      // Runs in every document, about:blank included, where storage is off limits.
      if (window.location.origin !== 'null') window.localStorage.setItem('shop.session', '1');
    });
    return new ShopApi(context.request, result.access_token);
  }

  private get headers() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** The HTTP status of a signed-in GET, for checks of what the services allow. */
  async status(path: string): Promise<number> {
    return (await this.request.get(path, { headers: this.headers })).status();
  }

  async clearCart(): Promise<void> {
    await json(await this.request.delete('/api/cart/', { headers: this.headers }), 'empty the cart');
  }

  async addToCart(productId: number, quantity = 1): Promise<void> {
    const response = await this.request.post('/api/cart/items/', { headers: this.headers, data: { product_id: productId, quantity } });
    await json(response, `add product ${productId} to the cart`);
  }

  async checkout(card: string = TEST_CARDS.pays): Promise<OrderSummary> {
    const response = await this.request.post('/api/orders/', {
      headers: { ...this.headers, 'Idempotency-Key': crypto.randomUUID() },
      data: { shipping_address: ADDRESS, payment: { card_number: card, expiry: '12/34', cvc: '123' } },
    });
    return json<OrderSummary>(response, 'checkout');
  }

  async notifications(): Promise<Notification[]> {
    const response = await this.request.get('/api/notifications/', { headers: this.headers });
    return (await json<{ results: Notification[] }>(response, 'notifications')).results;
  }

  async unreadCount(): Promise<number> {
    const response = await this.request.get('/api/notifications/unread-count/', { headers: this.headers });
    return (await json<{ unread: number }>(response, 'unread count')).unread;
  }

  /** Units free to sell now. Signed-in reads pass the gateway's microcache, so this is never stale. */
  async available(slug: string): Promise<number> {
    const response = await this.request.get(`/api/catalog/products/${slug}/`, { headers: this.headers });
    return (await json<ProductSummary>(response, `product ${slug}`)).available;
  }

  /** Waits (bounded) for the notification the event behind it produces; events are asynchronous. */
  async waitForNotification(title: string): Promise<void> {
    await expect
      .poll(async () => (await this.notifications()).map((n) => n.title), {
        message: `a notification "${title}"`,
        timeout: 30_000,
        intervals: [250, 500, 1000],
      })
      .toContain(title);
  }
}

/** The first page of the catalog for these filters (the API's names: q, category, in_stock, ...). */
export async function findProducts(request: APIRequestContext, query: Record<string, string>): Promise<ProductSummary[]> {
  const response = await request.get('/api/catalog/products/', { params: query });
  return (await json<{ results: ProductSummary[] }>(response, 'products')).results;
}

/**
 * The first product for these filters with plenty left to sell, so that a
 * test never runs out of stock, even when run again and again on one shop.
 */
export async function findProduct(request: APIRequestContext, query: Record<string, string>): Promise<ProductSummary> {
  const product = (await findProducts(request, { ...query, in_stock: 'true' })).find((found) => found.available >= 10);
  if (!product) throw new Error(`no product with 10 or more in stock for ${new URLSearchParams(query).toString()}`);
  return product;
}

/** Fills the checkout form the way a customer does, with one of the listed test cards. */
export async function fillCheckout(page: Page, card: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Full name' }).fill(ADDRESS.name);
  await page.getByRole('textbox', { name: 'Street and house number' }).fill(ADDRESS.line1);
  await page.getByRole('textbox', { name: 'Postal code' }).fill(ADDRESS.postal_code);
  await page.getByRole('textbox', { name: 'City' }).fill(ADDRESS.city);
  await page.getByRole('combobox', { name: 'Country' }).selectOption(ADDRESS.country);
  await page.getByRole('region', { name: 'Test cards' }).getByRole('button', { name: new RegExp(`Use test card ${card}`) }).click();
  await expect(page.getByRole('textbox', { name: 'Card number' })).toHaveValue(card);
}

/** The number the header's bell announces (0 when it says nothing). */
export async function unreadInBell(page: Page): Promise<number> {
  const label = await page.getByRole('link', { name: /^Notifications/ }).getAttribute('aria-label');
  return Number(/, (\d+) unread$/.exec(label ?? '')?.[1] ?? 0);
}
