import { PRODUCT_ORDERINGS, type ProductListParams, type ProductOrdering } from '../types';

/**
 * The catalog page keeps every choice (search, category, price range, stock,
 * sort, page) in the URL's search params: links can be shared and bookmarked,
 * and Back/Forward walk through the visitor's own steps. The URL is the only
 * source of truth; these functions translate it to API params and back.
 */
export type CatalogSearch = {
  q: string;
  category: string;
  minPrice: string;
  maxPrice: string;
  inStock: boolean;
  ordering: ProductOrdering | '';
  page: number;
};

export const EMPTY_SEARCH: CatalogSearch = {
  q: '',
  category: '',
  minPrice: '',
  maxPrice: '',
  inStock: false,
  ordering: '',
  page: 1,
};

const PRICE = /^\d{1,9}(\.\d{1,2})?$/;

export function isValidPrice(value: string): boolean {
  return PRICE.test(value);
}

function isOrdering(value: string): value is ProductOrdering {
  return (PRODUCT_ORDERINGS as readonly string[]).includes(value);
}

/** Reads the URL leniently: a malformed value is ignored, never an error. */
export function parseCatalogSearch(params: URLSearchParams): CatalogSearch {
  const page = Number(params.get('page'));
  const ordering = params.get('ordering') ?? '';
  const minPrice = params.get('min_price') ?? '';
  const maxPrice = params.get('max_price') ?? '';
  return {
    q: (params.get('q') ?? '').trim(),
    category: params.get('category') ?? '',
    minPrice: isValidPrice(minPrice) ? minPrice : '',
    maxPrice: isValidPrice(maxPrice) ? maxPrice : '',
    inStock: params.get('in_stock') === 'true',
    ordering: isOrdering(ordering) ? ordering : '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Writes only what differs from the defaults, in a fixed order. */
export function catalogSearchParams(search: CatalogSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.category) params.set('category', search.category);
  if (search.minPrice) params.set('min_price', search.minPrice);
  if (search.maxPrice) params.set('max_price', search.maxPrice);
  if (search.inStock) params.set('in_stock', 'true');
  if (search.ordering) params.set('ordering', search.ordering);
  if (search.page > 1) params.set('page', String(search.page));
  return params;
}

/** "?q=mug&page=2", or "" for the plain catalog. */
export function catalogSearchString(search: CatalogSearch): string {
  const query = catalogSearchParams(search).toString();
  return query ? `?${query}` : '';
}

/**
 * A new search: any change of filter or sort starts again at page 1, since
 * page 7 of the old results means nothing for the new ones.
 */
export function withChanges(search: CatalogSearch, changes: Partial<CatalogSearch>): CatalogSearch {
  return { ...search, page: 1, ...changes };
}

export function toProductListParams(search: CatalogSearch): ProductListParams {
  return {
    page: search.page,
    q: search.q || undefined,
    category: search.category || undefined,
    min_price: search.minPrice || undefined,
    max_price: search.maxPrice || undefined,
    in_stock: search.inStock || undefined,
    ordering: search.ordering || undefined,
  };
}
