import { useEffect, useState, type FormEvent } from 'react';

import { Button, TextField } from '@/components/ui';

import { isValidPrice, type CatalogSearch } from '../lib/catalog-search';

type ProductFiltersProps = {
  search: CatalogSearch;
  onChange: (changes: Partial<CatalogSearch>) => void;
};

export function ProductFilters({ search, onChange }: ProductFiltersProps) {
  const [minPrice, setMinPrice] = useState(search.minPrice);
  const [maxPrice, setMaxPrice] = useState(search.maxPrice);
  const [errors, setErrors] = useState<{ min?: string; max?: string }>({});

  useEffect(() => {
    setMinPrice(search.minPrice);
    setMaxPrice(search.maxPrice);
  }, [search.minPrice, search.maxPrice]);

  const applyPrices = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const min = minPrice.trim().replace(',', '.');
    const max = maxPrice.trim().replace(',', '.');
    const found: { min?: string; max?: string } = {};
    if (min && !isValidPrice(min)) found.min = 'Enter an amount such as 10 or 9.99.';
    if (max && !isValidPrice(max)) found.max = 'Enter an amount such as 50 or 49.99.';
    if (!found.min && !found.max && min && max && Number(min) > Number(max)) {
      found.max = 'The maximum must not be below the minimum.';
    }
    setErrors(found);
    if (found.min || found.max) return;
    onChange({ minPrice: min, maxPrice: max });
  };

  return (
    <section className="filters" aria-labelledby="filters-heading">
      <h2 id="filters-heading" className="sidebar__heading">
        Filters
      </h2>
      <form className="filters__price" onSubmit={applyPrices} aria-label="Price range" noValidate>
        <div className="filters__price-fields">
          <TextField
            label="Min price (€)"
            name="min_price"
            inputMode="decimal"
            value={minPrice}
            onChange={(event) => setMinPrice(event.target.value)}
            error={errors.min}
          />
          <TextField
            label="Max price (€)"
            name="max_price"
            inputMode="decimal"
            value={maxPrice}
            onChange={(event) => setMaxPrice(event.target.value)}
            error={errors.max}
          />
        </div>
        <Button type="submit" variant="secondary" size="sm">
          Apply price
        </Button>
      </form>
      <label className="checkbox">
        <input type="checkbox" checked={search.inStock} onChange={(event) => onChange({ inStock: event.target.checked })} />
        <span>In stock only</span>
      </label>
    </section>
  );
}
