import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { AdminOrderSummary } from '../types';

/** Ship and deliver answer the whole order; the back office reads only these fields. */
export type AdvancedOrder = Pick<AdminOrderSummary, 'id' | 'number' | 'status'>;

export type OrderTransition = 'ship' | 'deliver';

/** POST /api/orders/<id>/ship/ or /deliver/: the service checks the transition is allowed. */
export function advanceOrder({ id, transition }: { id: string; transition: OrderTransition }): Promise<AdvancedOrder> {
  return api.post<AdvancedOrder>(`/orders/${encodeURIComponent(id)}/${transition}/`);
}

export function useAdvanceOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: advanceOrder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'orders'] }),
  });
}
