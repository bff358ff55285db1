import type { Money, Paginated, Timestamp } from '@/lib/api-types';

export type AdminCategoryNode = {
  id: number;
  slug: string;
  name: string;
  product_count: number;
  children: AdminCategoryNode[];
};

export type StockLevels = { on_hand: number; reserved: number; sold: number };

/** GET /api/catalog/admin/products/<id>/: the product as customers see it, plus back-office fields. */
export type AdminProduct = {
  id: number;
  sku: string;
  slug: string;
  name: string;
  price: Money;
  currency: string;
  image: string | null;
  images: string[];
  description: string;
  attributes: Record<string, unknown>;
  category: { id: number; slug: string; name: string };
  in_stock: boolean;
  available: number;
  is_active: boolean;
  stock: StockLevels;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type AdminProductPage = Paginated<AdminProduct>;

/**
 * The body of POST /api/catalog/admin/products/ and PATCH .../<id>/ (the
 * catalog makes the slug from the name, and has a default currency).
 */
export type ProductWriteInput = {
  sku: string;
  name: string;
  description: string;
  price: Money;
  category_id: number;
};

export type AdminProductListParams = {
  page?: number;
  q?: string;
  category?: string;
  ordering?: string;
};

export type StockInput = { on_hand: number };

export const ADMIN_ORDER_STATUSES = ['pending_payment', 'paid', 'payment_failed', 'cancelled', 'shipped', 'delivered'] as const;
export type AdminOrderStatus = (typeof ADMIN_ORDER_STATUSES)[number];

export type AdminOrderSummary = {
  id: string;
  number: string;
  status: AdminOrderStatus;
  total: Money;
  currency: string;
  item_count: number;
  created_at: Timestamp;
  /** The customer's id in the auth service. */
  user_id: number;
};

export type AdminOrderPage = Paginated<AdminOrderSummary>;
