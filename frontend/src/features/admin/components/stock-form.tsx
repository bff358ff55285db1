import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useSetProductStock } from '../api/set-product-stock';
import type { StockLevels } from '../types';

export function StockForm({ productId, stock }: { productId: number; stock: StockLevels }) {
  const mutation = useSetProductStock();
  const [onHand, setOnHand] = useState(String(stock.on_hand));
  const [localError, setLocalError] = useState<string>();
  const serverErrors = fieldErrorsFrom(mutation.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!/^\d{1,7}$/.test(onHand.trim())) {
      setLocalError('Enter a whole number of units, 0 or more.');
      return;
    }
    setLocalError(undefined);
    mutation.mutate({ id: productId, input: { on_hand: Number(onHand) } });
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-labelledby="stock-heading" noValidate>
      <h2 id="stock-heading">Stock</h2>
      <dl className="facts facts--row">
        <div>
          <dt>On hand</dt>
          <dd data-testid="stock-on-hand">{stock.on_hand}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd>{stock.reserved}</dd>
        </div>
        <div>
          <dt>Sold</dt>
          <dd>{stock.sold}</dd>
        </div>
      </dl>
      {mutation.isError && !serverErrors.on_hand ? <ErrorMessage error={mutation.error} title="Stock could not be set" /> : null}
      {mutation.isSuccess ? (
        <p className="alert alert--success" role="status">
          Stock updated.
        </p>
      ) : null}
      <div className="form__row form__row--end">
        <TextField
          label="Units on hand"
          type="number"
          min={0}
          inputMode="numeric"
          value={onHand}
          onChange={(event) => setOnHand(event.target.value)}
          error={localError ?? serverErrors.on_hand}
        />
        <Button type="submit" variant="secondary" isLoading={mutation.isPending}>
          Set stock
        </Button>
      </div>
    </form>
  );
}
