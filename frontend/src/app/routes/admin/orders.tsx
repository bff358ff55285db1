import { AdminOrderList } from '@/features/admin';
import { useDocumentTitle } from '@/lib/use-document-title';

export function AdminOrdersRoute() {
  useDocumentTitle('Orders · Back office');
  return <AdminOrderList />;
}
