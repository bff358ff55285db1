import type { BadgeTone } from '@/components/ui';

import type { OrderStatus } from '../types';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  cancelled: 'Cancelled',
  shipped: 'Shipped',
  delivered: 'Delivered',
};

export const STATUS_TONES: Record<OrderStatus, BadgeTone> = {
  pending_payment: 'warning',
  paid: 'info',
  payment_failed: 'danger',
  cancelled: 'neutral',
  shipped: 'info',
  delivered: 'success',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as OrderStatus] ?? status.replace(/_/g, ' ');
}

export function statusTone(status: string): BadgeTone {
  return STATUS_TONES[status as OrderStatus] ?? 'neutral';
}
