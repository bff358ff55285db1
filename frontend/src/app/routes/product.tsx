import { useNavigate, useParams } from 'react-router';

import { NotFound } from '@/components/errors/not-found';
import { ErrorMessage, Spinner } from '@/components/ui';
import { loginPath, useUser } from '@/features/auth';
import { AddToCartForm } from '@/features/cart';
import { ProductDetails, useProduct } from '@/features/catalog';
import { isApiError } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/use-document-title';

/** The product page: the catalog shows the product, the cart feature sells it. */
export function ProductRoute() {
  const { slug = '' } = useParams();
  const productQuery = useProduct(slug);
  const user = useUser();
  const navigate = useNavigate();
  useDocumentTitle(productQuery.data?.name ?? 'Product');

  if (productQuery.isPending) {
    return (
      <div className="page">
        <Spinner label="Loading the product…" />
      </div>
    );
  }
  if (productQuery.isError) {
    if (isApiError(productQuery.error) && productQuery.error.status === 404) {
      return <NotFound title="Product not found" message="This product does not exist or is no longer sold." />;
    }
    return (
      <div className="page">
        <ErrorMessage error={productQuery.error} title="The product could not be loaded" onRetry={() => void productQuery.refetch()} />
      </div>
    );
  }
  const product = productQuery.data;
  return (
    <div className="page">
      <ProductDetails
        product={product}
        actions={
          <AddToCartForm
            productId={product.id}
            productName={product.name}
            purchasable={product.in_stock}
            maxQuantity={product.available}
            signedIn={Boolean(user)}
            onLoginRequired={() => void navigate(loginPath(`/products/${product.slug}`))}
          />
        }
      />
    </div>
  );
}
