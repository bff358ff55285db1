import { Link } from 'react-router';

import { Price } from '@/components/ui';

import type { ProductSummary } from '../types';

import { StockStatus } from './stock-status';

export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <article className="product-card">
      <div className="product-card__media">
        {product.image ? <img src={product.image} alt="" loading="lazy" width={320} height={320} /> : null}
      </div>
      <div className="product-card__body">
        <p className="product-card__category">{product.category.name}</p>
        <h2 className="product-card__title">
          {/* The whole card is clickable through this link's ::after overlay. */}
          <Link to={`/products/${product.slug}`} className="product-card__link">
            {product.name}
          </Link>
        </h2>
        <div className="product-card__footer">
          <Price amount={product.price} currency={product.currency} className="product-card__price" />
          <StockStatus inStock={product.in_stock} available={product.available} />
        </div>
      </div>
    </article>
  );
}
