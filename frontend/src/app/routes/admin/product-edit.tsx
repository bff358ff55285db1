import { useParams } from 'react-router';

import { NotFound } from '@/components/errors/not-found';
import { AdminProductEditor } from '@/features/admin';

export function AdminProductEditRoute() {
  const { productId } = useParams();
  const id = Number(productId);
  if (!Number.isInteger(id) || id < 1) return <NotFound title="Product not found" />;
  return <AdminProductEditor productId={id} />;
}
