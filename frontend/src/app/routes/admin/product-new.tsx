import { AdminProductCreator } from '@/features/admin';
import { useDocumentTitle } from '@/lib/use-document-title';

export function AdminProductNewRoute() {
  useDocumentTitle('New product · Back office');
  return <AdminProductCreator />;
}
