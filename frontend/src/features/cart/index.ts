export { cartQueryKey, useCart } from './api/get-cart';
export { AddToCartForm } from './components/add-to-cart-form';
export { CartLink } from './components/cart-link';
export { CartSummary } from './components/cart-summary';
export { CartView } from './components/cart-view';
export { canCheckOut } from './lib/cart-status';
export type { Cart, CartItem } from './types';
