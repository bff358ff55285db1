import { AdminProductList } from '@/features/admin';
import { useDocumentTitle } from '@/lib/use-document-title';

export function AdminProductsRoute() {
  useDocumentTitle('Products · Back office');
  return <AdminProductList />;
}
