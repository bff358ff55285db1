import { Link, NavLink } from 'react-router';

import { useSession } from '../api/get-session';
import { useLogout } from '../api/logout';
import { hasRole } from '../lib/roles';

/** The header's account area: log in / register, or the user's links and log out. */
export function UserMenu({ onLoggedOut }: { onLoggedOut: () => void }) {
  const session = useSession();
  const logoutMutation = useLogout();
  const user = session.data;

  if (session.isPending) return <div className="user-menu" aria-hidden="true" />;

  if (!user) {
    return (
      <div className="user-menu">
        <Link to="/login" className="header-link">
          Log in
        </Link>
        <Link to="/register" className="btn btn--primary btn--sm">
          Register
        </Link>
      </div>
    );
  }

  return (
    <div className="user-menu">
      {hasRole(user, 'admin') ? (
        <NavLink to="/admin" className="header-link">
          Admin
        </NavLink>
      ) : null}
      <NavLink to="/orders" className="header-link">
        Orders
      </NavLink>
      {/* The name a user sees is part of the link's name (WCAG 2.5.3, label in name), so the
          initial is drawn by CSS rather than written as text in front of it. */}
      <NavLink to="/account" className="header-link" aria-label={`Account: ${user.name}`}>
        <span className="user-menu__avatar" aria-hidden="true" data-initial={user.name.slice(0, 1).toUpperCase() || '?'} />
        <span className="user-menu__name">{user.name}</span>
      </NavLink>
      <button
        type="button"
        className="header-link header-link--button"
        onClick={() => logoutMutation.mutate(undefined, { onSettled: onLoggedOut })}
        disabled={logoutMutation.isPending}
      >
        Log out
      </button>
    </div>
  );
}
