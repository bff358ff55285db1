import { useId } from 'react';
import { useSearchParams } from 'react-router';

import { Badge, Button, EmptyState, ErrorMessage, Pagination, Price, Spinner, type BadgeTone } from '@/components/ui';
import { formatDateTime } from '@/lib/format';

import { useAdvanceOrder, type OrderTransition } from '../api/advance-order';
import { useAdminOrders } from '../api/get-admin-orders';
import { ADMIN_ORDER_STATUSES, type AdminOrderStatus, type AdminOrderSummary } from '../types';

const LABELS: Record<AdminOrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  cancelled: 'Cancelled',
  shipped: 'Shipped',
  delivered: 'Delivered',
};

const TONES: Record<AdminOrderStatus, BadgeTone> = {
  pending_payment: 'warning',
  paid: 'info',
  payment_failed: 'danger',
  cancelled: 'neutral',
  shipped: 'info',
  delivered: 'success',
};

/** The one next step the back office can take from each status. */
const NEXT: Partial<Record<AdminOrderStatus, { transition: OrderTransition; label: string }>> = {
  paid: { transition: 'ship', label: 'Mark shipped' },
  shipped: { transition: 'deliver', label: 'Mark delivered' },
};

function isStatus(value: string | null): value is AdminOrderStatus {
  return (ADMIN_ORDER_STATUSES as readonly string[]).includes(value ?? '');
}

function OrderActions({ order }: { order: AdminOrderSummary }) {
  const mutation = useAdvanceOrder();
  const next = NEXT[order.status];
  if (!next) return null;
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        isLoading={mutation.isPending}
        onClick={() => mutation.mutate({ id: order.id, transition: next.transition })}
        aria-label={`${next.label}: order ${order.number}`}
      >
        {next.label}
      </Button>
      {mutation.isError ? <ErrorMessage error={mutation.error} title={`Order ${order.number} was not changed`} /> : null}
    </>
  );
}

export function AdminOrderList() {
  const [searchParams, setSearchParams] = useSearchParams();
  const statusParam = searchParams.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const requested = Number(searchParams.get('page'));
  const page = Number.isInteger(requested) && requested > 1 ? requested : 1;
  const ordersQuery = useAdminOrders({ page, status });
  const filterId = useId();

  const hrefFor = (p: number) => {
    const params = new URLSearchParams();
    if (status) params.set('status', status);
    if (p > 1) params.set('page', String(p));
    const query = params.toString();
    return `/admin/orders${query ? `?${query}` : ''}`;
  };

  return (
    <section aria-labelledby="admin-orders-heading">
      <div className="toolbar">
        <h1 id="admin-orders-heading">Orders</h1>
        <div className="sort-select">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            className="input select"
            value={status ?? ''}
            onChange={(event) => setSearchParams(event.target.value ? { status: event.target.value } : {})}
          >
            <option value="">All statuses</option>
            {ADMIN_ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {ordersQuery.isPending ? (
        <Spinner label="Loading orders…" />
      ) : ordersQuery.isError ? (
        <ErrorMessage error={ordersQuery.error} title="Orders could not be loaded" onRetry={() => void ordersQuery.refetch()} />
      ) : ordersQuery.data.results.length === 0 ? (
        <EmptyState title={status ? `No orders with status “${LABELS[status]}”` : 'No orders yet'} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Orders</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {ordersQuery.data.results.map((order) => (
                  <tr key={order.id} data-testid={`admin-order-${order.number}`}>
                    <th scope="row">{order.number}</th>
                    <td>{formatDateTime(order.created_at)}</td>
                    <td>User #{order.user_id}</td>
                    <td className="num">{order.item_count}</td>
                    <td className="num">
                      <Price amount={order.total} currency={order.currency} />
                    </td>
                    <td>
                      <Badge tone={TONES[order.status] ?? 'neutral'}>{LABELS[order.status] ?? order.status}</Badge>
                    </td>
                    <td className="table__actions">
                      <OrderActions order={order} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={ordersQuery.data.page} totalPages={ordersQuery.data.total_pages} hrefFor={hrefFor} label="Order pages" />
        </>
      )}
    </section>
  );
}
