import { useEffect, useRef } from 'react';
import { Link } from 'react-router';

import { Button, Price } from '@/components/ui';

import type { CheckoutOutcome } from '../types';

type CheckoutOutcomeViewProps = {
  outcome: CheckoutOutcome;
  productName: (productId: number) => string;
  /** Back to the form, keeping what was entered. */
  onEdit: () => void;
  /** Send the same attempt again (same Idempotency-Key). */
  onRetry: () => void;
  retrying: boolean;
};

/** The result of a checkout attempt; its heading takes focus so it is announced. */
export function CheckoutOutcomeView({ outcome, productName, onEdit, onRetry, retrying }: CheckoutOutcomeViewProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [outcome.kind]);

  const heading = (text: string) => (
    <h1 ref={headingRef} tabIndex={-1}>
      {text}
    </h1>
  );

  switch (outcome.kind) {
    case 'paid':
      return (
        <section className="outcome outcome--success" data-testid="checkout-outcome" data-outcome="paid">
          {heading('Thank you! Your order is paid')}
          <p>
            Order <strong>{outcome.order.number}</strong> for{' '}
            <Price amount={outcome.order.total} currency={outcome.order.currency} /> has been placed. We will let you
            know when it ships.
          </p>
          <p className="outcome__actions">
            <Link to={`/orders/${outcome.order.id}`} className="btn btn--primary">
              View your order
            </Link>
            <Link to="/" className="btn btn--secondary">
              Continue shopping
            </Link>
          </p>
        </section>
      );
    case 'declined':
      return (
        <section className="outcome outcome--error" data-testid="checkout-outcome" data-outcome="declined">
          {heading('Payment declined')}
          <p>Your card was declined and nothing was charged. Please try another card.</p>
          <p className="outcome__actions">
            <Button onClick={onEdit}>Try another card</Button>
            {outcome.orderId ? (
              <Link to={`/orders/${outcome.orderId}`} className="btn btn--secondary">
                See the order
              </Link>
            ) : null}
          </p>
        </section>
      );
    case 'out_of_stock':
      return (
        <section className="outcome outcome--warning" data-testid="checkout-outcome" data-outcome="out_of_stock">
          {heading('Some items are out of stock')}
          <p>Nothing was charged. Someone was quicker; please change these items in your cart:</p>
          <ul>
            {outcome.lines.map((line) => (
              <li key={line.product_id}>
                {productName(line.product_id)}: you asked for {line.requested}, {line.available} left
              </li>
            ))}
          </ul>
          <p className="outcome__actions">
            <Link to="/cart" className="btn btn--primary">
              Review your cart
            </Link>
          </p>
        </section>
      );
    case 'unavailable':
      return (
        <section className="outcome outcome--warning" data-testid="checkout-outcome" data-outcome="unavailable">
          {heading('Payment service unavailable')}
          <p>The payment provider could not be reached and nothing was charged. Please try again in a moment.</p>
          <p className="outcome__actions">
            <Button onClick={onEdit}>Back to checkout</Button>
          </p>
        </section>
      );
    case 'in_progress':
    case 'unconfirmed':
      return (
        <section className="outcome outcome--warning" data-testid="checkout-outcome" data-outcome={outcome.kind}>
          {heading(outcome.kind === 'in_progress' ? 'Your order is still being processed' : 'We could not confirm your order')}
          <p>
            {outcome.kind === 'in_progress'
              ? 'Your payment is being processed. Check again in a moment.'
              : 'The connection failed before the shop answered. Checking again is safe: you will not be charged twice.'}
          </p>
          <p className="outcome__actions">
            <Button onClick={onRetry} isLoading={retrying}>
              Check again
            </Button>
          </p>
        </section>
      );
  }
}
