import { useId } from 'react';

import { PRODUCT_ORDERINGS, type ProductOrdering } from '../types';

const LABELS: Record<ProductOrdering, string> = {
  newest: 'Newest first',
  price: 'Price: low to high',
  '-price': 'Price: high to low',
  name: 'Name: A to Z',
  '-name': 'Name: Z to A',
};

type SortSelectProps = {
  value: ProductOrdering | '';
  onChange: (ordering: ProductOrdering | '') => void;
};

export function SortSelect({ value, onChange }: SortSelectProps) {
  const id = useId();
  return (
    <div className="sort-select">
      <label htmlFor={id}>Sort by</label>
      <select id={id} className="input select" value={value} onChange={(event) => onChange(event.target.value as ProductOrdering | '')}>
        <option value="">Relevance</option>
        {PRODUCT_ORDERINGS.map((ordering) => (
          <option key={ordering} value={ordering}>
            {LABELS[ordering]}
          </option>
        ))}
      </select>
    </div>
  );
}
