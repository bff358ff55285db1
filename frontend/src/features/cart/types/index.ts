import type { Money } from '@/lib/api-types';

export type CartItem = {
  product_id: number;
  sku: string;
  slug: string;
  name: string;
  image: string;
  unit_price: Money;
  currency: string;
  quantity: number;
  line_total: Money;
  available: boolean;
  in_stock: boolean;
};

/** Prices and totals are the server's, fetched from the catalog on every read. */
export type Cart = {
  items: CartItem[];
  subtotal: Money;
  currency: string;
  item_count: number;
};

export type AddCartItemInput = { product_id: number; quantity: number };
export type UpdateCartItemInput = { product_id: number; quantity: number };
