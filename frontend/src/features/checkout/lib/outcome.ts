import { isApiError, NETWORK_ERROR_STATUS } from '@/lib/api-client';

import type { CheckoutOutcome, OutOfStockLine } from '../types';

/**
 * What a failed checkout request means for the customer, and whether the
 * attempt is over. An attempt is over once the orders service has answered
 * it; then the next submit is a new attempt with a new Idempotency-Key. When
 * no answer came back (network, gateway) or the first request is still
 * running, the order may exist: the retry must reuse the key so the service
 * replays the first answer instead of placing a second order.
 */
export function outcomeOfError(error: unknown): { outcome: CheckoutOutcome | null; attemptOver: boolean } {
  if (!isApiError(error)) return { outcome: { kind: 'unconfirmed' }, attemptOver: false };
  if (error.status === 402 && error.code === 'payment_declined') {
    const orderId = error.details.order_id;
    return { outcome: { kind: 'declined', orderId: typeof orderId === 'string' ? orderId : null }, attemptOver: true };
  }
  if (error.status === 409 && error.code === 'out_of_stock') {
    const lines = Array.isArray(error.details.lines) ? (error.details.lines as OutOfStockLine[]) : [];
    return { outcome: { kind: 'out_of_stock', lines }, attemptOver: true };
  }
  if (error.status === 409 && error.code === 'idempotency_in_progress') {
    return { outcome: { kind: 'in_progress' }, attemptOver: false };
  }
  if (error.status === 503 && error.code === 'payment_unavailable') {
    return { outcome: { kind: 'unavailable' }, attemptOver: true };
  }
  if (error.status === NETWORK_ERROR_STATUS || [502, 503, 504].includes(error.status)) {
    return { outcome: { kind: 'unconfirmed' }, attemptOver: false };
  }
  // Validation and other client errors: shown on the form; nothing was placed.
  return { outcome: null, attemptOver: true };
}
