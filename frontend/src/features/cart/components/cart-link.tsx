import { NavLink } from 'react-router';

import { pluralize } from '@/lib/format';

import { useCart } from '../api/get-cart';

/** The header's cart link with the number of items. */
export function CartLink({ signedIn }: { signedIn: boolean }) {
  const cartQuery = useCart({ enabled: signedIn });
  const count = signedIn ? (cartQuery.data?.item_count ?? 0) : 0;
  return (
    <NavLink to="/cart" className="header-icon" aria-label={`Cart, ${pluralize(count, 'item')}`}>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4Zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4ZM3 2h2.2l2.6 11.1a2 2 0 0 0 2 1.6h7.6a2 2 0 0 0 1.9-1.4L21.7 6H6.3l-.5-2.2A2.3 2.3 0 0 0 3.6 2H3Z"
        />
      </svg>
      {count > 0 ? (
        <span className="header-icon__count" aria-hidden="true">
          {count}
        </span>
      ) : null}
    </NavLink>
  );
}
