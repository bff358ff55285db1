import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router';

import {
  catalogSearchParams,
  catalogSearchString,
  parseCatalogSearch,
  withChanges,
  type CatalogSearch,
} from './catalog-search';

export function useCatalogSearch() {
  const [searchParams, setSearchParams] = useSearchParams();
  const { pathname } = useLocation();
  const search = useMemo(() => parseCatalogSearch(searchParams), [searchParams]);

  /** Apply changes (page resets to 1 unless given), as a new history entry. */
  const update = useCallback(
    (changes: Partial<CatalogSearch>) => setSearchParams(catalogSearchParams(withChanges(search, changes))),
    [search, setSearchParams],
  );

  /** The link for a variation of the current search (for <Link>s). */
  const hrefFor = useCallback(
    (changes: Partial<CatalogSearch>) => `${pathname}${catalogSearchString(withChanges(search, changes))}`,
    [pathname, search],
  );

  return { search, update, hrefFor };
}
