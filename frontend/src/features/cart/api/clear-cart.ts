import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Cart } from '../types';

import { cartQueryKey } from './get-cart';

export function clearCart(): Promise<Cart> {
  return api.delete<Cart>('/cart/');
}

export function useClearCart() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: clearCart,
    onSuccess: (cart) => queryClient.setQueryData(cartQueryKey, cart),
  });
}
