/**
 * Test data in the shapes of the API contract. Factories take overrides so a
 * test states only what matters to it.
 */
import type { CategoryNode, ProductDetail, ProductSummary } from '@/features/catalog/types';
import type { Cart, CartItem } from '@/features/cart/types';
import type { Order } from '@/features/orders/types';
import type { User } from '@/features/auth/types';
import type { Notification } from '@/features/notifications/types';
import type { Paginated } from '@/lib/api-types';

export const customer: User = {
  id: 7,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  roles: ['customer'],
  created_at: '2026-01-05T10:00:00Z',
};

export const admin: User = {
  id: 1,
  email: 'admin@example.com',
  name: 'Grace Hopper',
  roles: ['admin'],
  created_at: '2026-01-01T09:00:00Z',
};

export const categories: CategoryNode[] = [
  {
    id: 1,
    slug: 'kitchen',
    name: 'Kitchen',
    product_count: 30,
    children: [
      { id: 2, slug: 'mugs', name: 'Mugs', product_count: 12, children: [] },
      { id: 3, slug: 'teapots', name: 'Teapots', product_count: 18, children: [] },
    ],
  },
  { id: 4, slug: 'garden', name: 'Garden', product_count: 25, children: [] },
];

export function productSummary(overrides: Partial<ProductSummary> = {}): ProductSummary {
  const id = overrides.id ?? 1;
  const slug = overrides.slug ?? `product-${id}`;
  return {
    id,
    sku: `SKU-${String(id).padStart(4, '0')}`,
    slug,
    name: `Product ${id}`,
    price: '19.99',
    currency: 'EUR',
    image: `/api/catalog/images/${slug}/1.svg`,
    category: { id: 2, slug: 'mugs', name: 'Mugs' },
    in_stock: true,
    available: 12,
    ...overrides,
  };
}

export function productDetail(overrides: Partial<ProductDetail> = {}): ProductDetail {
  const summary = productSummary(overrides);
  return {
    ...summary,
    description: 'A sturdy stoneware mug.\n\nDishwasher safe.',
    images: [summary.image, `/api/catalog/images/${summary.slug}/2.svg`],
    attributes: { colour: 'blue', capacity_ml: 350 },
    category: {
      id: 2,
      slug: 'mugs',
      name: 'Mugs',
      path: [
        { slug: 'kitchen', name: 'Kitchen' },
        { slug: 'mugs', name: 'Mugs' },
      ],
    },
    created_at: '2026-02-01T12:00:00Z',
    updated_at: '2026-02-02T12:00:00Z',
    ...overrides,
  } as ProductDetail;
}

export function page<T>(results: T[], overrides: Partial<Paginated<T>> = {}): Paginated<T> {
  return {
    count: results.length,
    page: 1,
    page_size: 24,
    total_pages: 1,
    next: null,
    previous: null,
    results,
    ...overrides,
  };
}

export function cartItem(overrides: Partial<CartItem> = {}): CartItem {
  const productId = overrides.product_id ?? 1;
  return {
    product_id: productId,
    sku: `SKU-${String(productId).padStart(4, '0')}`,
    slug: `product-${productId}`,
    name: `Product ${productId}`,
    image: `/api/catalog/images/product-${productId}/1.svg`,
    unit_price: '19.99',
    currency: 'EUR',
    quantity: 1,
    line_total: '19.99',
    available: true,
    in_stock: true,
    ...overrides,
  };
}

export function cart(items: CartItem[], overrides: Partial<Cart> = {}): Cart {
  return {
    items,
    subtotal: '0.00',
    currency: 'EUR',
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: '3f1c2a7e-8d4b-4f0a-9a53-3a2b1c0d9e8f',
    number: 'R-10042',
    status: 'paid',
    lines: [
      { product_id: 1, sku: 'SKU-0001', name: 'Blue mug', unit_price: '12.50', quantity: 2, line_total: '25.00' },
    ],
    subtotal: '25.00',
    shipping: '4.90',
    tax: '4.75',
    total: '34.65',
    currency: 'EUR',
    shipping_address: {
      name: 'Ada Lovelace',
      line1: 'Hauptstr. 1',
      line2: '',
      city: 'Berlin',
      postal_code: '10115',
      country: 'DE',
    },
    history: [
      { status: 'pending_payment', at: '2026-03-01T10:00:00Z', actor: 'customer' },
      { status: 'paid', at: '2026-03-01T10:00:02Z', actor: 'system' },
    ],
    can_cancel: true,
    created_at: '2026-03-01T10:00:00Z',
    ...overrides,
  };
}

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 1,
    type: 'order.paid',
    title: 'Order R-10042 is paid',
    body: 'Thank you! We are packing your order.',
    link: '/orders/3f1c2a7e-8d4b-4f0a-9a53-3a2b1c0d9e8f',
    created_at: '2026-03-01T10:00:05Z',
    read_at: null,
    ...overrides,
  };
}
