import { useId, useState } from 'react';
import { Link } from 'react-router';

import { EmptyState, ErrorMessage, Pagination, Spinner } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { pluralize } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';

import { useCategories } from '../api/get-categories';
import { useProducts } from '../api/get-products';
import { toProductListParams } from '../lib/catalog-search';
import { useCatalogSearch } from '../lib/use-catalog-search';
import type { CategoryNode } from '../types';

import { CategoryTree } from './category-tree';
import { ProductFilters } from './product-filters';
import { ProductGrid } from './product-grid';
import { SortSelect } from './sort-select';

function findCategory(nodes: CategoryNode[], slug: string): CategoryNode | undefined {
  for (const node of nodes) {
    if (node.slug === slug) return node;
    const found = findCategory(node.children, slug);
    if (found) return found;
  }
  return undefined;
}

/** The catalog page: everything it shows follows from the URL. */
export function ProductBrowser() {
  const { search, update, hrefFor } = useCatalogSearch();
  // On narrow screens the sidebar folds away behind a button; wide screens always show it.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const sidebarId = useId();
  const productsQuery = useProducts(toProductListParams(search));
  const categoriesQuery = useCategories();
  const category = search.category ? findCategory(categoriesQuery.data ?? [], search.category) : undefined;

  const heading = search.q
    ? `Results for “${search.q}”`
    : (category?.name ?? (search.category ? 'Category' : 'All products'));
  useDocumentTitle(search.q ? `Search: ${search.q}` : (category?.name ?? 'Shop'));

  const filtered =
    search.q || search.category || search.minPrice || search.maxPrice || search.inStock;
  const data = productsQuery.data;

  return (
    <div className="catalog">
      <button
        type="button"
        className="btn btn--secondary catalog__filters-button"
        aria-expanded={filtersOpen}
        aria-controls={sidebarId}
        onClick={() => setFiltersOpen((open) => !open)}
      >
        {filtersOpen ? 'Hide categories and filters' : 'Categories and filters'}
      </button>
      <aside className="catalog__sidebar" id={sidebarId} data-open={filtersOpen}>
        {categoriesQuery.isError ? (
          <ErrorMessage error={categoriesQuery.error} title="Categories could not be loaded" />
        ) : categoriesQuery.data ? (
          <CategoryTree
            categories={categoriesQuery.data}
            selected={search.category}
            hrefFor={(slug) => hrefFor({ category: slug })}
          />
        ) : (
          <Spinner label="Loading categories…" size="sm" />
        )}
        <ProductFilters search={search} onChange={update} />
      </aside>

      <section className="catalog__main" aria-labelledby="catalog-heading">
        <div className="catalog__toolbar">
          <div>
            <h1 id="catalog-heading">{heading}</h1>
            {data ? (
              <p className="muted" role="status" aria-live="polite">
                {pluralize(data.count, 'product')}
              </p>
            ) : null}
          </div>
          <SortSelect value={search.ordering} onChange={(ordering) => update({ ordering })} />
        </div>

        {productsQuery.isPending ? (
          <Spinner label="Loading products…" />
        ) : productsQuery.isError && isApiError(productsQuery.error) && productsQuery.error.status === 404 ? (
          // A bookmarked page that no longer exists (the catalog shrank): offer the first one.
          <EmptyState
            title="This page does not exist"
            action={
              <Link to={hrefFor({ page: 1 })} className="btn btn--secondary">
                Go to the first page
              </Link>
            }
          >
            {productsQuery.error.message}
          </EmptyState>
        ) : productsQuery.isError ? (
          <ErrorMessage
            error={productsQuery.error}
            title="Products could not be loaded"
            onRetry={() => void productsQuery.refetch()}
          />
        ) : productsQuery.data.results.length === 0 ? (
          <EmptyState
            title="No products match"
            action={
              filtered ? (
                <Link to={`/${search.q ? `?q=${encodeURIComponent(search.q)}` : ''}`} className="btn btn--secondary">
                  {search.q ? 'Clear filters, keep the search' : 'Clear all filters'}
                </Link>
              ) : null
            }
          >
            {filtered ? 'Try another search, a wider price range or another category.' : 'The catalog is empty.'}
          </EmptyState>
        ) : (
          <div className={productsQuery.isPlaceholderData ? 'is-refreshing' : undefined} aria-busy={productsQuery.isPlaceholderData}>
            <ProductGrid products={productsQuery.data.results} />
            <Pagination
              page={productsQuery.data.page}
              totalPages={productsQuery.data.total_pages}
              hrefFor={(page) => hrefFor({ page })}
              label="Product pages"
            />
          </div>
        )}
      </section>
    </div>
  );
}

