import { OrderList } from '@/features/orders';
import { useDocumentTitle } from '@/lib/use-document-title';

export function OrdersRoute() {
  useDocumentTitle('Your orders');
  return (
    <div className="page page--narrow">
      <h1>Your orders</h1>
      <OrderList />
    </div>
  );
}
