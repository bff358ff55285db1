import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import { useProductChanged } from '../lib/use-product-changed';
import type { AdminProduct, ProductWriteInput } from '../types';

import { adminProductQueryKey } from './get-admin-product';

export function updateProduct({ id, input }: { id: number; input: Partial<ProductWriteInput> }): Promise<AdminProduct> {
  return api.patch<AdminProduct>(`/catalog/admin/products/${id}/`, input);
}

export function useUpdateProduct() {
  const queryClient = useQueryClient();
  const onChanged = useProductChanged();
  return useMutation({
    mutationFn: updateProduct,
    onSuccess: (product) => {
      queryClient.setQueryData(adminProductQueryKey(product.id), product);
      return onChanged();
    },
  });
}
