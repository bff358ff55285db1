import { NavLink } from 'react-router';

export function AdminNav() {
  return (
    <nav className="admin-nav" aria-label="Back office">
      <NavLink to="/admin/products" className="admin-nav__link">
        Products
      </NavLink>
      <NavLink to="/admin/orders" className="admin-nav__link">
        Orders
      </NavLink>
    </nav>
  );
}
