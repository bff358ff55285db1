import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { Price } from '@/components/ui';

import type { ProductDetail } from '../types';

import { ProductGallery } from './product-gallery';
import { StockStatus } from './stock-status';

type ProductDetailsProps = {
  product: ProductDetail;
  /** The purchase controls; the cart feature provides them. */
  actions?: ReactNode;
};

function attributeValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function ProductDetails({ product, actions }: ProductDetailsProps) {
  const images = product.images.length ? product.images : product.image ? [product.image] : [];
  const attributes = Object.entries(product.attributes ?? {});
  return (
    <article className="product-detail">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">Shop</Link>
          </li>
          {product.category.path.map((crumb) => (
            <li key={crumb.slug}>
              <Link to={`/?category=${encodeURIComponent(crumb.slug)}`}>{crumb.name}</Link>
            </li>
          ))}
          <li aria-current="page">{product.name}</li>
        </ol>
      </nav>
      <div className="product-detail__layout">
        <ProductGallery images={images} name={product.name} />
        <div className="product-detail__info">
          <h1>{product.name}</h1>
          <p className="muted">SKU {product.sku}</p>
          <p className="product-detail__price">
            <Price amount={product.price} currency={product.currency} />
          </p>
          <p>
            <StockStatus inStock={product.in_stock} available={product.available} />
          </p>
          {actions}
          <div className="product-detail__description">
            {product.description.split(/\n{2,}/).map((paragraph, i) => (
              <p key={i}>{paragraph}</p>
            ))}
          </div>
          {attributes.length ? (
            <dl className="facts">
              {attributes.map(([key, value]) => (
                <div key={key}>
                  <dt>{key.replace(/_/g, ' ')}</dt>
                  <dd>{attributeValue(value)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </div>
      </div>
    </article>
  );
}
