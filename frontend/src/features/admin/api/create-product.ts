import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import { useProductChanged } from '../lib/use-product-changed';
import type { AdminProduct, ProductWriteInput } from '../types';

import { adminProductQueryKey } from './get-admin-product';

export function createProduct(input: ProductWriteInput): Promise<AdminProduct> {
  return api.post<AdminProduct>('/catalog/admin/products/', input);
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  const onChanged = useProductChanged();
  return useMutation({
    mutationFn: createProduct,
    onSuccess: (product) => {
      queryClient.setQueryData(adminProductQueryKey(product.id), product);
      return onChanged();
    },
  });
}
