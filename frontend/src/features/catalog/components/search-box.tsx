import { useEffect, useId, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';

import { catalogSearchString, EMPTY_SEARCH, parseCatalogSearch, withChanges } from '../lib/catalog-search';

/**
 * The header's search: on the catalog page it refines the current filters,
 * anywhere else it starts a fresh search of the whole catalog.
 */
export function SearchBox() {
  const location = useLocation();
  const navigate = useNavigate();
  const onCatalog = location.pathname === '/';
  const current = onCatalog ? parseCatalogSearch(new URLSearchParams(location.search)) : EMPTY_SEARCH;
  const [value, setValue] = useState(current.q);
  const inputId = useId();

  // Follow the URL when it changes under the box (Back, a category link).
  useEffect(() => {
    setValue(current.q);
  }, [current.q]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void navigate(`/${catalogSearchString(withChanges(current, { q: value.trim() }))}`);
  };

  return (
    <form role="search" className="search-box" onSubmit={handleSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        Search products
      </label>
      <input
        id={inputId}
        type="search"
        name="q"
        className="input search-box__input"
        placeholder="Search products"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        maxLength={200}
      />
      <button type="submit" className="btn btn--primary search-box__button">
        Search
      </button>
    </form>
  );
}
