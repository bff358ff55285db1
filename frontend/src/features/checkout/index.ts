export { CheckoutFlow } from './components/checkout-flow';
export type { PlacedOrder } from './types';
