import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';

import { EmptyState, ErrorMessage, Spinner } from '@/components/ui';
import { useUser } from '@/features/auth';
import { canCheckOut, cartQueryKey, CartSummary, useCart } from '@/features/cart';
import { CheckoutFlow } from '@/features/checkout';
import { useDocumentTitle } from '@/lib/use-document-title';

/** Checkout: the cart feature summarises what is bought, checkout places the order. */
export function CheckoutRoute() {
  useDocumentTitle('Checkout');
  const user = useUser();
  const cartQuery = useCart();
  const queryClient = useQueryClient();
  // Names of the cart's lines, kept for the outcome page after the cart has emptied.
  const [names, setNames] = useState<Record<number, string>>({});
  const [placed, setPlaced] = useState(false);

  const cart = cartQuery.data;
  useEffect(() => {
    if (!cart?.items.length) return;
    setNames((current) => ({ ...current, ...Object.fromEntries(cart.items.map((item) => [item.product_id, item.name])) }));
  }, [cart]);

  if (cartQuery.isPending) {
    return (
      <div className="page">
        <Spinner label="Loading your cart…" />
      </div>
    );
  }
  if (cartQuery.isError) {
    return (
      <div className="page">
        <ErrorMessage error={cartQuery.error} title="Your cart could not be loaded" onRetry={() => void cartQuery.refetch()} />
      </div>
    );
  }
  if (!placed && cartQuery.data.items.length === 0) {
    return (
      <div className="page page--narrow">
        <h1>Checkout</h1>
        <EmptyState
          title="Your cart is empty"
          action={
            <Link to="/" className="btn btn--primary">
              Browse products
            </Link>
          }
        />
      </div>
    );
  }

  return (
    <div className="page checkout">
      <div className="checkout__main">
        <CheckoutFlow
          canSubmit={canCheckOut(cartQuery.data)}
          defaultName={user?.name ?? ''}
          productName={(id) => names[id] ?? `Product ${id}`}
          onPaid={() => setPlaced(true)}
          onSettled={() => void queryClient.invalidateQueries({ queryKey: cartQueryKey })}
        />
      </div>
      {!placed ? (
        <aside className="checkout__aside">
          <CartSummary />
        </aside>
      ) : null}
    </div>
  );
}
