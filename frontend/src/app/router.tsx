import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';

import { RouteError } from '@/components/errors/route-error';
import { RequireAuth } from '@/features/auth';

import { RootLayout } from './root-layout';
import { AccountRoute } from './routes/account';
import { AdminLayout } from './routes/admin/admin-layout';
import { AdminOrdersRoute } from './routes/admin/orders';
import { AdminProductEditRoute } from './routes/admin/product-edit';
import { AdminProductNewRoute } from './routes/admin/product-new';
import { AdminProductsRoute } from './routes/admin/products';
import { CartRoute } from './routes/cart';
import { CatalogRoute } from './routes/catalog';
import { CheckoutRoute } from './routes/checkout';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { NotificationsRoute } from './routes/notifications';
import { OrderRoute } from './routes/order';
import { OrdersRoute } from './routes/orders';
import { ProductRoute } from './routes/product';
import { RegisterRoute } from './routes/register';

/**
 * Every page of the shop. Pages that need a signed-in user are wrapped in
 * RequireAuth (visitors go to /login?next=...), the back office also needs
 * the admin role (others see "Not allowed"). The server checks the same on
 * every request; these guards only spare the user a page of errors.
 */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <CatalogRoute /> },
          { path: 'products/:slug', element: <ProductRoute /> },
          { path: 'login', element: <LoginRoute /> },
          { path: 'register', element: <RegisterRoute /> },
          { path: 'cart', element: <RequireAuth><CartRoute /></RequireAuth> },
          { path: 'checkout', element: <RequireAuth><CheckoutRoute /></RequireAuth> },
          { path: 'account', element: <RequireAuth><AccountRoute /></RequireAuth> },
          { path: 'orders', element: <RequireAuth><OrdersRoute /></RequireAuth> },
          { path: 'orders/:orderId', element: <RequireAuth><OrderRoute /></RequireAuth> },
          { path: 'notifications', element: <RequireAuth><NotificationsRoute /></RequireAuth> },
          {
            path: 'admin',
            element: (
              <RequireAuth requiredRole="admin">
                <AdminLayout />
              </RequireAuth>
            ),
            children: [
              { index: true, element: <Navigate to="/admin/products" replace /> },
              { path: 'products', element: <AdminProductsRoute /> },
              { path: 'products/new', element: <AdminProductNewRoute /> },
              { path: 'products/:productId', element: <AdminProductEditRoute /> },
              { path: 'orders', element: <AdminOrdersRoute /> },
            ],
          },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
