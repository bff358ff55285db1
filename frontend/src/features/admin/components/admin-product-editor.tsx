import { Link } from 'react-router';

import { NotFound } from '@/components/errors/not-found';
import { Badge, ErrorMessage, Spinner } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/use-document-title';

import { useAdminProduct } from '../api/get-admin-product';
import { useUpdateProduct } from '../api/update-product';

import { ProductActiveToggle } from './product-active-toggle';
import { ProductForm } from './product-form';
import { StockForm } from './stock-form';

export function AdminProductEditor({ productId }: { productId: number }) {
  const productQuery = useAdminProduct(productId);
  const updateMutation = useUpdateProduct();
  useDocumentTitle(productQuery.data ? `Edit ${productQuery.data.name}` : 'Edit product');

  if (productQuery.isPending) return <Spinner label="Loading the product…" />;
  if (productQuery.isError) {
    if (isApiError(productQuery.error) && productQuery.error.status === 404) {
      return <NotFound title="Product not found" message="There is no product with this id." />;
    }
    return <ErrorMessage error={productQuery.error} title="The product could not be loaded" />;
  }
  const product = productQuery.data;

  return (
    <div className="admin-editor">
      <p>
        <Link to="/admin/products">← All products</Link>
      </p>
      <div className="toolbar">
        <h1>
          {product.name} {product.is_active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
        </h1>
        <div className="toolbar__actions">
          {product.is_active ? (
            <Link to={`/products/${product.slug}`} className="btn btn--ghost btn--sm">
              View in shop
            </Link>
          ) : null}
          <ProductActiveToggle id={product.id} name={product.name} isActive={product.is_active} size="md" />
        </div>
      </div>
      <div className="admin-editor__layout">
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          {updateMutation.isSuccess ? (
            <p className="alert alert--success" role="status">
              Product saved.
            </p>
          ) : null}
          <ProductForm
            key={product.updated_at}
            initial={{
              sku: product.sku,
              name: product.name,
              description: product.description,
              price: product.price,
              category_id: String(product.category.id),
            }}
            submitLabel="Save changes"
            pending={updateMutation.isPending}
            error={updateMutation.error}
            onSubmit={(input) => updateMutation.mutate({ id: product.id, input })}
          />
        </section>
        <section className="card">
          <StockForm key={`${product.stock.on_hand}-${product.updated_at}`} productId={product.id} stock={product.stock} />
        </section>
      </div>
    </div>
  );
}
