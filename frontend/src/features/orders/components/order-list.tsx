import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorMessage, Pagination, Price, Spinner } from '@/components/ui';
import { formatDateTime, pluralize } from '@/lib/format';

import { useOrders } from '../api/get-orders';

import { OrderStatusBadge } from './order-status-badge';

/** The customer's order history; the page number lives in the URL. */
export function OrderList() {
  const [searchParams] = useSearchParams();
  const requested = Number(searchParams.get('page'));
  const page = Number.isInteger(requested) && requested > 1 ? requested : 1;
  const ordersQuery = useOrders(page);

  if (ordersQuery.isPending) return <Spinner label="Loading your orders…" />;
  if (ordersQuery.isError) {
    return <ErrorMessage error={ordersQuery.error} title="Your orders could not be loaded" onRetry={() => void ordersQuery.refetch()} />;
  }
  const data = ordersQuery.data;
  if (data.results.length === 0) {
    return (
      <EmptyState
        title="No orders yet"
        action={
          <Link to="/" className="btn btn--primary">
            Start shopping
          </Link>
        }
      >
        Orders you place will be listed here.
      </EmptyState>
    );
  }

  return (
    <>
      <ul className="order-list" aria-label="Orders">
        {data.results.map((order) => (
          <li key={order.id} className="order-row card">
            <div>
              <Link to={`/orders/${order.id}`} className="order-row__number">
                Order {order.number}
              </Link>
              <p className="muted">
                {formatDateTime(order.created_at)} · {pluralize(order.item_count, 'item')}
              </p>
            </div>
            <OrderStatusBadge status={order.status} />
            <Price amount={order.total} currency={order.currency} className="order-row__total" />
          </li>
        ))}
      </ul>
      <Pagination page={data.page} totalPages={data.total_pages} hrefFor={(p) => (p > 1 ? `/orders?page=${p}` : '/orders')} label="Order pages" />
    </>
  );
}
