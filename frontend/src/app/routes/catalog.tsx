import { ProductBrowser } from '@/features/catalog';

export function CatalogRoute() {
  return (
    <div className="page">
      <ProductBrowser />
    </div>
  );
}
