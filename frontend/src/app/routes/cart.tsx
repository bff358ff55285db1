import { CartView } from '@/features/cart';
import { useDocumentTitle } from '@/lib/use-document-title';

export function CartRoute() {
  useDocumentTitle('Cart');
  return (
    <div className="page">
      <h1>Your cart</h1>
      <CartView />
    </div>
  );
}
