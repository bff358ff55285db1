import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Badge, EmptyState, ErrorMessage, Pagination, Price, Spinner } from '@/components/ui';

import { useAdminProducts } from '../api/get-admin-products';

import { ProductActiveToggle } from './product-active-toggle';

export function AdminProductList() {
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = Number(searchParams.get('page'));
  const page = Number.isInteger(requested) && requested > 1 ? requested : 1;
  const q = searchParams.get('q') ?? '';
  const productsQuery = useAdminProducts({ page, q: q || undefined });
  const [draft, setDraft] = useState(q);
  const searchId = useId();

  useEffect(() => setDraft(q), [q]);

  const handleSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearchParams(draft.trim() ? { q: draft.trim() } : {});
  };

  const hrefFor = (p: number) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (p > 1) params.set('page', String(p));
    const query = params.toString();
    return `/admin/products${query ? `?${query}` : ''}`;
  };

  return (
    <section aria-labelledby="admin-products-heading">
      <div className="toolbar">
        <h1 id="admin-products-heading">Products</h1>
        <Link to="/admin/products/new" className="btn btn--primary">
          New product
        </Link>
      </div>
      <form role="search" className="search-box search-box--inline" onSubmit={handleSearch}>
        <label htmlFor={searchId} className="visually-hidden">
          Search all products
        </label>
        <input
          id={searchId}
          type="search"
          className="input"
          placeholder="Name or SKU"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="btn btn--secondary">
          Search
        </button>
      </form>

      {productsQuery.isPending ? (
        <Spinner label="Loading products…" />
      ) : productsQuery.isError ? (
        <ErrorMessage error={productsQuery.error} title="Products could not be loaded" onRetry={() => void productsQuery.refetch()} />
      ) : productsQuery.data.results.length === 0 ? (
        <EmptyState title="No products found" />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Products, including inactive ones</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    On hand
                  </th>
                  <th scope="col" className="num">
                    Reserved
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {productsQuery.data.results.map((product) => (
                  <tr key={product.id}>
                    <td>
                      <Link to={`/admin/products/${product.id}`}>{product.name}</Link>
                      <span className="muted table__sub">{product.sku}</span>
                    </td>
                    <td>{product.category.name}</td>
                    <td className="num">
                      <Price amount={product.price} currency={product.currency} />
                    </td>
                    <td className="num">{product.stock.on_hand}</td>
                    <td className="num">{product.stock.reserved}</td>
                    <td>{product.is_active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</td>
                    <td className="table__actions">
                      <ProductActiveToggle id={product.id} name={product.name} isActive={product.is_active} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={productsQuery.data.page}
            totalPages={productsQuery.data.total_pages}
            hrefFor={hrefFor}
            label="Product pages"
          />
        </>
      )}
    </section>
  );
}
