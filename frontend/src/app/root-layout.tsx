import { useEffect, useRef } from 'react';
import { Link, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router';

import { CartLink } from '@/features/cart';
import { SearchBox } from '@/features/catalog';
import { loginPath, useSessionEvents, UserMenu, useUser } from '@/features/auth';
import { NotificationBell } from '@/features/notifications';

export function RootLayout() {
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();

  // A session that ends on its own (refresh token expired or revoked) sends
  // the user to log in, and back here afterwards.
  useSessionEvents(() => {
    void navigate(loginPath(`${location.pathname}${location.search}`));
  });

  // After moving to another page, start keyboard and screen-reader users at
  // its content, as a full page load would (but not on the first load).
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = '';
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              R
            </span>
            <span className="brand__name">Reference Shop</span>
          </Link>
          <div className="site-header__search">
            <SearchBox />
          </div>
          <nav className="site-header__nav" aria-label="Account">
            {user ? <NotificationBell /> : null}
            <CartLink signedIn={Boolean(user)} />
            <UserMenu onLoggedOut={() => void navigate('/')} />
          </nav>
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Reference Shop: an open-source demo. No real orders, no real payments.
        </p>
      </footer>
      <ScrollRestoration />
    </div>
  );
}
