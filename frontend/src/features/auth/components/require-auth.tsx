import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { NotAllowed } from '@/components/errors/not-allowed';
import { Spinner } from '@/components/ui';

import { useSession } from '../api/get-session';
import { loginPath } from '../lib/safe-next';
import { hasRole } from '../lib/roles';
import type { Role } from '../types';

type RequireAuthProps = {
  children: ReactNode;
  /** When set, a signed-in user without this role sees "Not allowed". */
  requiredRole?: Role;
};

/** Visitors are sent to log in and brought back; the wrong role is told so. */
export function RequireAuth({ children, requiredRole }: RequireAuthProps) {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <Spinner label="Checking your session…" />;
  const user = session.data ?? null;
  if (!user) {
    return <Navigate to={loginPath(`${location.pathname}${location.search}`)} replace />;
  }
  if (requiredRole && !hasRole(user, requiredRole)) return <NotAllowed />;
  return children;
}
