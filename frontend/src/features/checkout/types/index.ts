import type { Money } from '@/lib/api-types';

export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string;
};

export type PaymentInput = {
  card_number: string;
  /** "MM/YY" */
  expiry: string;
  cvc: string;
};

export type CheckoutInput = {
  shipping_address: ShippingAddress;
  payment: PaymentInput;
};

/** The part of the created Order (201) that checkout shows. */
export type PlacedOrder = {
  id: string;
  number: string;
  status: string;
  total: Money;
  currency: string;
};

export type OutOfStockLine = { product_id: number; requested: number; available: number };

/** How a checkout attempt ended, as the customer is told. */
export type CheckoutOutcome =
  | { kind: 'paid'; order: PlacedOrder }
  | { kind: 'declined'; orderId: string | null }
  | { kind: 'out_of_stock'; lines: OutOfStockLine[] }
  | { kind: 'unavailable' }
  | { kind: 'in_progress' }
  | { kind: 'unconfirmed' };
