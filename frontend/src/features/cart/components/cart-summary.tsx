import { EmptyState, ErrorMessage, Price, Spinner } from '@/components/ui';

import { useCart } from '../api/get-cart';

/** The compact order summary beside the checkout form. */
export function CartSummary() {
  const cartQuery = useCart();
  if (cartQuery.isPending) return <Spinner label="Loading your cart…" size="sm" />;
  if (cartQuery.isError) return <ErrorMessage error={cartQuery.error} title="Your cart could not be loaded" />;
  const cart = cartQuery.data;
  if (!cart.items.length) return <EmptyState title="Your cart is empty" />;
  return (
    <section className="card cart-summary" aria-labelledby="checkout-summary-heading">
      <h2 id="checkout-summary-heading">Your order</h2>
      <ul className="cart-summary__lines">
        {cart.items.map((item) => (
          <li key={item.product_id}>
            <span>
              {item.quantity} × {item.name}
            </span>
            <Price amount={item.line_total} currency={item.currency} />
          </li>
        ))}
      </ul>
      <dl className="totals">
        <div className="totals__grand">
          <dt>Subtotal</dt>
          <dd>
            <Price amount={cart.subtotal} currency={cart.currency} />
          </dd>
        </div>
      </dl>
      <p className="muted">Shipping and tax are calculated when the order is placed.</p>
    </section>
  );
}
