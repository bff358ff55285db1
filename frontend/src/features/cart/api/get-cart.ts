import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Cart } from '../types';

export const cartQueryKey = ['cart'] as const;

export function getCart(signal?: AbortSignal): Promise<Cart> {
  return api.get<Cart>('/cart/', { signal });
}

export const getCartQueryOptions = () =>
  queryOptions({
    queryKey: cartQueryKey,
    queryFn: ({ signal }) => getCart(signal),
  });

/** The cart is per user on the server: only ask for it when someone is signed in. */
export function useCart({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getCartQueryOptions(), enabled });
}
