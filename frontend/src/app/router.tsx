import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';

import { RouteError } from '@/components/errors/route-error';
import { Spinner } from '@/components/ui';
import { RequireAuth } from '@/features/auth';

import { RootLayout } from './root-layout';
import { AccountRoute } from './routes/account';
import { AdminLayout } from './routes/admin/admin-layout';
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
    // Shown while the code of a lazily loaded page arrives on the first load.
    hydrateFallbackElement: <Spinner label="Loading…" />,
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
              // The back office is loaded on demand: customers never download it.
              { path: 'products', lazy: () => import('./routes/admin/products').then((m) => ({ Component: m.AdminProductsRoute })) },
              { path: 'products/new', lazy: () => import('./routes/admin/product-new').then((m) => ({ Component: m.AdminProductNewRoute })) },
              {
                path: 'products/:productId',
                lazy: () => import('./routes/admin/product-edit').then((m) => ({ Component: m.AdminProductEditRoute })),
              },
              { path: 'orders', lazy: () => import('./routes/admin/orders').then((m) => ({ Component: m.AdminOrdersRoute })) },
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
