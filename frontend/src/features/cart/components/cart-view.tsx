import { Link } from 'react-router';

import { Badge, Button, EmptyState, ErrorMessage, Price, Spinner } from '@/components/ui';
import { pluralize } from '@/lib/format';

import { useCart } from '../api/get-cart';
import { useRemoveCartItem } from '../api/remove-cart-item';
import { useUpdateCartItem } from '../api/update-cart-item';
import { blockedItems, canCheckOut, isBlocked } from '../lib/cart-status';
import type { CartItem } from '../types';

import { QuantityStepper } from './quantity-stepper';

function CartLine({ item, busy, onQuantity, onRemove }: {
  item: CartItem;
  busy: boolean;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}) {
  const blocked = isBlocked(item);
  return (
    <li className={`cart-line${blocked ? ' cart-line--blocked' : ''}`} aria-label={item.name}>
      <img className="cart-line__image" src={item.image} alt="" width={88} height={88} />
      <div className="cart-line__info">
        <Link to={`/products/${item.slug}`} className="cart-line__name">
          {item.name}
        </Link>
        <p className="muted">
          <Price amount={item.unit_price} currency={item.currency} /> each
        </p>
        {!item.available ? (
          <Badge tone="danger">No longer available</Badge>
        ) : !item.in_stock ? (
          <Badge tone="danger">Out of stock</Badge>
        ) : null}
      </div>
      <QuantityStepper name={item.name} value={item.quantity} disabled={busy || !item.available} onChange={onQuantity} />
      <p className="cart-line__total">
        <Price amount={item.line_total} currency={item.currency} />
      </p>
      <Button variant="ghost" size="sm" onClick={onRemove} disabled={busy} aria-label={`Remove ${item.name}`}>
        Remove
      </Button>
    </li>
  );
}

/** The cart page. Totals come from the server; nothing is summed here. */
export function CartView() {
  const cartQuery = useCart();
  const updateMutation = useUpdateCartItem();
  const removeMutation = useRemoveCartItem();
  const mutationError = updateMutation.error ?? removeMutation.error;
  const busy = updateMutation.isPending || removeMutation.isPending;

  if (cartQuery.isPending) return <Spinner label="Loading your cart…" />;
  if (cartQuery.isError) {
    return <ErrorMessage error={cartQuery.error} title="Your cart could not be loaded" onRetry={() => void cartQuery.refetch()} />;
  }
  const cart = cartQuery.data;
  if (cart.items.length === 0) {
    return (
      <EmptyState
        title="Your cart is empty"
        action={
          <Link to="/" className="btn btn--primary">
            Browse products
          </Link>
        }
      >
        Find something you like in the shop and add it here.
      </EmptyState>
    );
  }
  const blocked = blockedItems(cart);

  return (
    <div className="cart">
      <div className="cart__lines">
        {mutationError ? <ErrorMessage error={mutationError} title="Your cart could not be changed" /> : null}
        {blocked.length ? (
          <div className="alert alert--warning" role="alert">
            <p className="alert__title">
              {pluralize(blocked.length, 'item')} in your cart cannot be ordered
            </p>
            <p>Remove {blocked.length === 1 ? 'it' : 'them'} or lower the quantity to check out.</p>
          </div>
        ) : null}
        <ul className="cart-lines" aria-label="Cart items">
          {cart.items.map((item) => (
            <CartLine
              key={item.product_id}
              item={item}
              busy={busy}
              onQuantity={(quantity) => updateMutation.mutate({ product_id: item.product_id, quantity })}
              onRemove={() => removeMutation.mutate(item.product_id)}
            />
          ))}
        </ul>
      </div>
      <aside className="cart__summary card" aria-labelledby="cart-summary-heading">
        <h2 id="cart-summary-heading">Summary</h2>
        <dl className="totals">
          <div>
            <dt>Items</dt>
            <dd>{cart.item_count}</dd>
          </div>
          <div className="totals__grand">
            <dt>Subtotal</dt>
            <dd data-testid="cart-subtotal">
              <Price amount={cart.subtotal} currency={cart.currency} />
            </dd>
          </div>
        </dl>
        <p className="muted">Shipping and tax are added at checkout.</p>
        {canCheckOut(cart) ? (
          <Link to="/checkout" className="btn btn--primary btn--block">
            Go to checkout
          </Link>
        ) : (
          <Button className="btn--block" disabled>
            Go to checkout
          </Button>
        )}
      </aside>
    </div>
  );
}
