import type { Money, Paginated, Timestamp } from '@/lib/api-types';

export type CategoryRef = { id: number; slug: string; name: string };

export type ProductSummary = {
  id: number;
  sku: string;
  slug: string;
  name: string;
  price: Money;
  currency: string;
  /** URL path of the first image, e.g. /api/catalog/images/<slug>/1.svg; null without images. */
  image: string | null;
  category: CategoryRef;
  in_stock: boolean;
  /** Units free to sell right now (0 for a product taken out of the shop). */
  available: number;
};

export type ProductDetail = Omit<ProductSummary, 'category'> & {
  description: string;
  images: string[];
  attributes: Record<string, unknown>;
  category: CategoryRef & { path: { slug: string; name: string }[] };
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CategoryNode = {
  id: number;
  slug: string;
  name: string;
  product_count: number;
  children: CategoryNode[];
};

export type ProductPage = Paginated<ProductSummary>;

export const PRODUCT_ORDERINGS = ['newest', 'price', '-price', 'name', '-name'] as const;
export type ProductOrdering = (typeof PRODUCT_ORDERINGS)[number];

/** The query of GET /api/catalog/products/ as the catalog page uses it. */
export type ProductListParams = {
  page?: number;
  page_size?: number;
  q?: string;
  category?: string;
  min_price?: string;
  max_price?: string;
  in_stock?: boolean;
  ordering?: ProductOrdering;
};
