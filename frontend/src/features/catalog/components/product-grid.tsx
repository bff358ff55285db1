import type { ProductSummary } from '../types';

import { ProductCard } from './product-card';

export function ProductGrid({ products }: { products: ProductSummary[] }) {
  return (
    <ul className="product-grid" aria-label="Products">
      {products.map((product) => (
        <li key={product.id}>
          <ProductCard product={product} />
        </li>
      ))}
    </ul>
  );
}
