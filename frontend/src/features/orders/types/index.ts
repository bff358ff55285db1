import type { Money, Paginated, Timestamp } from '@/lib/api-types';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'payment_failed', 'cancelled', 'shipped', 'delivered'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderSummary = {
  id: string;
  number: string;
  status: OrderStatus;
  total: Money;
  currency: string;
  item_count: number;
  created_at: Timestamp;
};

export type OrderLine = {
  product_id: number;
  sku: string;
  name: string;
  unit_price: Money;
  quantity: number;
  line_total: Money;
};

export type OrderAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  country: string;
};

export type OrderHistoryEntry = {
  status: OrderStatus;
  at: Timestamp;
  /** Who made the change, e.g. "customer", "admin", "system". */
  actor: string;
};

export type Order = {
  id: string;
  number: string;
  status: OrderStatus;
  lines: OrderLine[];
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  currency: string;
  shipping_address: OrderAddress;
  history: OrderHistoryEntry[];
  can_cancel: boolean;
  created_at: Timestamp;
};

export type OrderPage = Paginated<OrderSummary>;
