/** The cart, checkout, orders and admin-order calls of the SPA against orders-django's OpenAPI. */
import type { AdvancedOrder } from '@/features/admin/api/advance-order';
import type { AdminOrderPage } from '@/features/admin/types';
import type { AddCartItemInput, Cart } from '@/features/cart/types';
import type { CheckoutInput, OutOfStockLine, PlacedOrder } from '@/features/checkout/types';
import type { Order, OrderPage } from '@/features/orders/types';
import type { paths } from '@/lib/api-schema/orders';

import type { Conforms, ErrorShape, RequestOf, ResponseOf } from './contract';

type Item = '/api/cart/items/{product_id}/';

export type CartRead = Conforms<ResponseOf<paths, '/api/cart/', 'get'>, Cart>;
export type CartCleared = Conforms<ResponseOf<paths, '/api/cart/', 'delete'>, Cart>;
export type CartAddBody = Conforms<AddCartItemInput, RequestOf<paths, '/api/cart/items/', 'post'>>;
export type CartAdded = Conforms<ResponseOf<paths, '/api/cart/items/', 'post'>, Cart>;
export type CartUpdateBody = Conforms<{ quantity: number }, RequestOf<paths, Item, 'patch'>>;
export type CartUpdated = Conforms<ResponseOf<paths, Item, 'patch'>, Cart>;
export type CartRemoved = Conforms<ResponseOf<paths, Item, 'delete'>, Cart>;
export type CartUnavailable = Conforms<ResponseOf<paths, '/api/cart/', 'get', 503>, ErrorShape>;

export type CheckoutBody = Conforms<CheckoutInput, RequestOf<paths, '/api/orders/', 'post'>>;
export type CheckoutPaid = Conforms<ResponseOf<paths, '/api/orders/', 'post', 201>, PlacedOrder>;
export type CheckoutPaidOrder = Conforms<ResponseOf<paths, '/api/orders/', 'post', 201>, Order>;
export type CheckoutDeclined = Conforms<ResponseOf<paths, '/api/orders/', 'post', 402>, ErrorShape>;
export type CheckoutConflict = Conforms<ResponseOf<paths, '/api/orders/', 'post', 409>, ErrorShape>;
export type CheckoutUnavailable = Conforms<ResponseOf<paths, '/api/orders/', 'post', 503>, ErrorShape>;
/** The lines of a 409 out_of_stock are read from `details`, which the schema leaves open. */
export type OutOfStockDetails = Conforms<{ lines: OutOfStockLine[] }, Record<string, unknown>>;

export type OrderList = Conforms<ResponseOf<paths, '/api/orders/', 'get'>, OrderPage>;
export type OrderRead = Conforms<ResponseOf<paths, '/api/orders/{order_id}/', 'get'>, Order>;
export type OrderCancelled = Conforms<ResponseOf<paths, '/api/orders/{order_id}/cancel/', 'post'>, Order>;

export type AdminOrders = Conforms<ResponseOf<paths, '/api/orders/admin/orders/', 'get'>, AdminOrderPage>;
export type AdminShipped = Conforms<ResponseOf<paths, '/api/orders/{order_id}/ship/', 'post'>, AdvancedOrder>;
export type AdminDelivered = Conforms<ResponseOf<paths, '/api/orders/{order_id}/deliver/', 'post'>, AdvancedOrder>;
