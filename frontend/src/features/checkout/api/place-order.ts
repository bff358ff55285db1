import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { CheckoutInput, PlacedOrder } from '../types';

export type PlaceOrderArgs = {
  input: CheckoutInput;
  /** One key per checkout attempt: a retried request can never charge twice. */
  idempotencyKey: string;
};

export function placeOrder({ input, idempotencyKey }: PlaceOrderArgs): Promise<PlacedOrder> {
  return api.post<PlacedOrder>('/orders/', input, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function usePlaceOrder() {
  return useMutation({ mutationFn: placeOrder });
}
