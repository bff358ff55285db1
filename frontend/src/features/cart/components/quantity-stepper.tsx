import { useEffect, useId, useState } from 'react';

import { MAX_QUANTITY } from './add-to-cart-form';

type QuantityStepperProps = {
  name: string;
  value: number;
  disabled?: boolean;
  onChange: (quantity: number) => void;
};

/** − [ 2 ] + : typed values are sent on blur or Enter, buttons at once. */
export function QuantityStepper({ name, value, disabled, onChange }: QuantityStepperProps) {
  const [draft, setDraft] = useState(String(value));
  const id = useId();

  useEffect(() => setDraft(String(value)), [value]);

  const commit = () => {
    const next = Math.trunc(Number(draft));
    if (!Number.isFinite(next) || next < 1 || next > MAX_QUANTITY) {
      setDraft(String(value));
      return;
    }
    if (next !== value) onChange(next);
  };

  return (
    <div className="stepper">
      <label htmlFor={id} className="visually-hidden">
        Quantity of {name}
      </label>
      <button
        type="button"
        className="stepper__button"
        aria-label={`Decrease quantity of ${name}`}
        disabled={disabled || value <= 1}
        onClick={() => onChange(value - 1)}
      >
        −
      </button>
      <input
        id={id}
        className="input stepper__input"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_QUANTITY}
        value={draft}
        disabled={disabled}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          }
        }}
      />
      <button
        type="button"
        className="stepper__button"
        aria-label={`Increase quantity of ${name}`}
        disabled={disabled || value >= MAX_QUANTITY}
        onClick={() => onChange(value + 1)}
      >
        +
      </button>
    </div>
  );
}
