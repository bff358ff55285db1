import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Cart, UpdateCartItemInput } from '../types';

import { cartQueryKey } from './get-cart';

export function updateCartItem({ product_id, quantity }: UpdateCartItemInput): Promise<Cart> {
  return api.patch<Cart>(`/cart/items/${product_id}/`, { quantity });
}

export function useUpdateCartItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateCartItem,
    onSuccess: (cart) => queryClient.setQueryData(cartQueryKey, cart),
  });
}
