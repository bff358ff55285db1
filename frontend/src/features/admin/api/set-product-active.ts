import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import { useProductChanged } from '../lib/use-product-changed';

/** Deactivated products leave the shop but keep their history; activating brings them back. */
export function setProductActive({ id, active }: { id: number; active: boolean }): Promise<unknown> {
  return api.post<unknown>(`/catalog/admin/products/${id}/${active ? 'activate' : 'deactivate'}/`);
}

export function useSetProductActive() {
  const onChanged = useProductChanged();
  return useMutation({ mutationFn: setProductActive, onSuccess: onChanged });
}
