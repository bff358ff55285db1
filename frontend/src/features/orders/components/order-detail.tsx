import { useState } from 'react';
import { Link } from 'react-router';

import { NotFound } from '@/components/errors/not-found';
import { Button, ErrorMessage, Price, Spinner } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';

import { useCancelOrder } from '../api/cancel-order';
import { useOrder } from '../api/get-order';
import { countryName } from '../lib/country';
import type { Order } from '../types';

import { OrderStatusBadge } from './order-status-badge';
import { StatusTimeline } from './status-timeline';

function CancelOrder({ order }: { order: Order }) {
  const cancelMutation = useCancelOrder();
  const [confirming, setConfirming] = useState(false);
  if (!order.can_cancel) return null;
  return (
    <div className="cancel-order">
      {cancelMutation.isError ? <ErrorMessage error={cancelMutation.error} title="The order could not be cancelled" /> : null}
      {confirming ? (
        <div className="cancel-order__confirm" role="group" aria-label="Confirm cancellation">
          <p>Cancel this order? Any payment is refunded and the items go back on sale.</p>
          <Button
            variant="danger"
            isLoading={cancelMutation.isPending}
            onClick={() => cancelMutation.mutate(order.id, { onSuccess: () => setConfirming(false) })}
          >
            Yes, cancel order
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={cancelMutation.isPending}>
            Keep order
          </Button>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Cancel order
        </Button>
      )}
    </div>
  );
}

export function OrderDetail({ orderId }: { orderId: string }) {
  const orderQuery = useOrder(orderId);
  useDocumentTitle(orderQuery.data ? `Order ${orderQuery.data.number}` : 'Order');

  if (orderQuery.isPending) return <Spinner label="Loading the order…" />;
  if (orderQuery.isError) {
    if (isApiError(orderQuery.error) && orderQuery.error.status === 404) {
      return <NotFound title="Order not found" message="There is no order with this number in your account." />;
    }
    return <ErrorMessage error={orderQuery.error} title="The order could not be loaded" onRetry={() => void orderQuery.refetch()} />;
  }
  const order = orderQuery.data;
  const address = order.shipping_address;

  return (
    <article className="order-detail">
      <p>
        <Link to="/orders">← All orders</Link>
      </p>
      <header className="order-detail__header">
        <div>
          <h1>Order {order.number}</h1>
          <p className="muted">Placed {formatDateTime(order.created_at)}</p>
        </div>
        <div data-testid="order-status">
          <OrderStatusBadge status={order.status} />
        </div>
      </header>
      <div className="order-detail__layout">
        <section className="card" aria-labelledby="order-items-heading">
          <h2 id="order-items-heading">Items</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.product_id}>
                  <td>
                    {line.name}
                    <span className="muted table__sub">SKU {line.sku}</span>
                  </td>
                  <td className="num">
                    <Price amount={line.unit_price} currency={order.currency} />
                  </td>
                  <td className="num">{line.quantity}</td>
                  <td className="num">
                    <Price amount={line.line_total} currency={order.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="totals">
            <div>
              <dt>Subtotal</dt>
              <dd>
                <Price amount={order.subtotal} currency={order.currency} />
              </dd>
            </div>
            <div>
              <dt>Shipping</dt>
              <dd>
                <Price amount={order.shipping} currency={order.currency} />
              </dd>
            </div>
            <div>
              <dt>Tax</dt>
              <dd>
                <Price amount={order.tax} currency={order.currency} />
              </dd>
            </div>
            <div className="totals__grand">
              <dt>Total</dt>
              <dd>
                <Price amount={order.total} currency={order.currency} />
              </dd>
            </div>
          </dl>
        </section>
        <div className="order-detail__aside">
          <section className="card" aria-labelledby="order-status-heading">
            <h2 id="order-status-heading">Status</h2>
            <StatusTimeline history={order.history} />
            <CancelOrder order={order} />
          </section>
          <section className="card" aria-labelledby="order-address-heading">
            <h2 id="order-address-heading">Shipping to</h2>
            <address>
              {address.name}
              <br />
              {address.line1}
              {address.line2 ? (
                <>
                  <br />
                  {address.line2}
                </>
              ) : null}
              <br />
              {address.postal_code} {address.city}
              <br />
              {countryName(address.country)}
            </address>
          </section>
        </div>
      </div>
    </article>
  );
}
