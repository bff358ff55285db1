import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Order } from '../types';

import { orderQueryKey } from './get-order';

export function cancelOrder(id: string): Promise<Order> {
  return api.post<Order>(`/orders/${encodeURIComponent(id)}/cancel/`);
}

export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelOrder,
    onSuccess: (order) => {
      queryClient.setQueryData(orderQueryKey(order.id), order);
      void queryClient.invalidateQueries({ queryKey: ['orders', 'list'] });
    },
  });
}
