import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { Button, ErrorMessage } from '@/components/ui';
import { isApiError } from '@/lib/api-client';

import { useAddCartItem } from '../api/add-cart-item';

export const MAX_QUANTITY = 99;

type AddToCartFormProps = {
  productId: number;
  productName: string;
  /** False when the product is out of stock or no longer sold. */
  purchasable: boolean;
  /** Units free to sell; the form asks for no more. */
  maxQuantity?: number;
  signedIn: boolean;
  /** The cart is per user: visitors are sent to log in first. */
  onLoginRequired: () => void;
};

export function AddToCartForm({
  productId,
  productName,
  purchasable,
  maxQuantity = MAX_QUANTITY,
  signedIn,
  onLoginRequired,
}: AddToCartFormProps) {
  const max = Math.max(1, Math.min(maxQuantity, MAX_QUANTITY));
  const addMutation = useAddCartItem();
  const [quantity, setQuantity] = useState('1');
  const [quantityError, setQuantityError] = useState<string>();
  const quantityId = useId();

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = Number(quantity);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
      setQuantityError(max === 1 ? 'Only 1 is left.' : `Enter a quantity from 1 to ${max}.`);
      return;
    }
    setQuantityError(undefined);
    if (!signedIn) {
      onLoginRequired();
      return;
    }
    addMutation.mutate(
      { product_id: productId, quantity: parsed },
      {
        onError: (error) => {
          if (isApiError(error) && error.status === 401) onLoginRequired();
        },
      },
    );
  };

  return (
    <form className="add-to-cart" onSubmit={handleSubmit} aria-label="Add to cart">
      <div className="add-to-cart__row">
        <div className="field field--inline">
          <label htmlFor={quantityId} className="field__label">
            Quantity
          </label>
          <input
            id={quantityId}
            className="input quantity-input"
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            value={quantity}
            disabled={!purchasable}
            aria-invalid={quantityError ? true : undefined}
            aria-describedby={quantityError ? `${quantityId}-error` : undefined}
            onChange={(event) => setQuantity(event.target.value)}
          />
        </div>
        <Button type="submit" isLoading={addMutation.isPending} disabled={!purchasable}>
          Add to cart
        </Button>
      </div>
      {quantityError ? (
        <p id={`${quantityId}-error`} className="field__error">
          {quantityError}
        </p>
      ) : null}
      {!purchasable ? <p className="muted">This product cannot be ordered right now.</p> : null}
      {addMutation.isSuccess ? (
        <p className="alert alert--success" role="status">
          Added {addMutation.variables?.quantity} × {productName} to your cart. <Link to="/cart">View cart</Link>
        </p>
      ) : null}
      {addMutation.isError && !(isApiError(addMutation.error) && addMutation.error.status === 401) ? (
        <ErrorMessage error={addMutation.error} title="Could not add to your cart" />
      ) : null}
    </form>
  );
}
