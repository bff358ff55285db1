import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AddCartItemInput, Cart } from '../types';

import { cartQueryKey } from './get-cart';

export function addCartItem(input: AddCartItemInput): Promise<Cart> {
  return api.post<Cart>('/cart/items/', input);
}

export function useAddCartItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addCartItem,
    onSuccess: (cart) => queryClient.setQueryData(cartQueryKey, cart),
  });
}
