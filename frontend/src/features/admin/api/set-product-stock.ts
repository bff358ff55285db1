import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import { useProductChanged } from '../lib/use-product-changed';
import type { StockInput } from '../types';

/** Sets the units free to sell; reserved and sold units are the orders' business. */
export function setProductStock({ id, input }: { id: number; input: StockInput }): Promise<unknown> {
  return api.put<unknown>(`/catalog/admin/products/${id}/stock/`, input);
}

export function useSetProductStock() {
  const onChanged = useProductChanged();
  return useMutation({ mutationFn: setProductStock, onSuccess: onChanged });
}
