import { useParams } from 'react-router';

import { OrderDetail } from '@/features/orders';

export function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <div className="page">
      <OrderDetail orderId={orderId} />
    </div>
  );
}
