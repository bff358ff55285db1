import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Cart } from '../types';

import { cartQueryKey } from './get-cart';

export function removeCartItem(productId: number): Promise<Cart> {
  return api.delete<Cart>(`/cart/items/${productId}/`);
}

export function useRemoveCartItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeCartItem,
    onSuccess: (cart) => queryClient.setQueryData(cartQueryKey, cart),
  });
}
