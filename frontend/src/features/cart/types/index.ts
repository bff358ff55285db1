import type { Money } from '@/lib/api-types';

export type CartItem = {
  product_id: number;
  sku: string;
  slug: string;
  name: string;
  image: string;
  /** null when the product is no longer sold (then it has no price). */
  unit_price: Money | null;
  currency: string;
  quantity: number;
  line_total: Money | null;
  /** False when the product left the catalog. */
  available: boolean;
  /** Whether the quantity asked for can be sold right now. */
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
