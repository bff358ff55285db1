import { useRef, useState, type FormEvent } from 'react';

import { Button, ErrorMessage, SelectField, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { usePlaceOrder } from '../api/place-order';
import { sortedCountries } from '../lib/countries';
import { outcomeOfError } from '../lib/outcome';
import { useIdempotencyKey } from '../lib/use-idempotency-key';
import { digitsOnly, validateCheckout, type CheckoutErrors } from '../lib/validation';
import type { CheckoutInput, CheckoutOutcome, PlacedOrder } from '../types';

import { CheckoutOutcomeView } from './checkout-outcome';
import { groupCardNumber, TestCards } from './test-cards';

type CheckoutFlowProps = {
  /** False while the cart is empty or holds lines that cannot be bought. */
  canSubmit: boolean;
  defaultName?: string;
  productName: (productId: number) => string;
  /** Called after every answer from the orders service (the cart may have changed). */
  onSettled?: () => void;
  onPaid?: (order: PlacedOrder) => void;
};

const COUNTRIES = sortedCountries();

const emptyInput = (name: string): CheckoutInput => ({
  shipping_address: { name, line1: '', line2: '', city: '', postal_code: '', country: '' },
  payment: { card_number: '', expiry: '', cvc: '' },
});

/** What is sent: trimmed, card digits only, so cosmetic edits do not start a new attempt. */
function normalise(input: CheckoutInput): CheckoutInput {
  const a = input.shipping_address;
  return {
    shipping_address: {
      name: a.name.trim(),
      line1: a.line1.trim(),
      line2: a.line2.trim(),
      city: a.city.trim(),
      postal_code: a.postal_code.trim().toUpperCase(),
      country: a.country,
    },
    payment: {
      card_number: digitsOnly(input.payment.card_number),
      expiry: input.payment.expiry.trim(),
      cvc: input.payment.cvc.trim(),
    },
  };
}

/** "1225" -> "12/25" while typing the expiry. */
function formatExpiry(value: string): string {
  const digits = value.replace(/\D/g, '').slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}

export function CheckoutFlow({ canSubmit, defaultName = '', productName, onSettled, onPaid }: CheckoutFlowProps) {
  const placeOrder = usePlaceOrder();
  const { keyFor, endAttempt } = useIdempotencyKey();
  const [input, setInput] = useState<CheckoutInput>(() => emptyInput(defaultName));
  const [errors, setErrors] = useState<CheckoutErrors>({});
  const [outcome, setOutcome] = useState<CheckoutOutcome | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  // Guards against a second submit in the same tick, before React re-renders
  // the button as disabled.
  const inFlight = useRef(false);

  const setAddress = (field: keyof CheckoutInput['shipping_address']) => (value: string) =>
    setInput((current) => ({ ...current, shipping_address: { ...current.shipping_address, [field]: value } }));
  const setPayment = (field: keyof CheckoutInput['payment']) => (value: string) =>
    setInput((current) => ({ ...current, payment: { ...current.payment, [field]: value } }));

  const submit = () => {
    if (inFlight.current) return;
    const body = normalise(input);
    const found = validateCheckout(body);
    setErrors(found);
    if (Object.keys(found).length) return;

    const idempotencyKey = keyFor(JSON.stringify(body));
    inFlight.current = true;
    setFormError(null);
    placeOrder.mutate(
      { input: body, idempotencyKey },
      {
        onSuccess: (order) => {
          endAttempt();
          setOutcome({ kind: 'paid', order });
          onPaid?.(order);
        },
        onError: (error) => {
          const { outcome: next, attemptOver } = outcomeOfError(error);
          if (attemptOver) endAttempt();
          if (next) {
            setOutcome(next);
          } else {
            setErrors(fieldErrorsFrom(error));
            setFormError(error);
          }
        },
        onSettled: () => {
          inFlight.current = false;
          onSettled?.();
        },
      },
    );
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  if (outcome) {
    return (
      <CheckoutOutcomeView
        outcome={outcome}
        productName={productName}
        onEdit={() => {
          setOutcome(null);
          setInput((current) => ({ ...current, payment: { ...current.payment, card_number: '' } }));
        }}
        onRetry={submit}
        retrying={placeOrder.isPending}
      />
    );
  }

  const address = input.shipping_address;
  const payment = input.payment;
  const serverFieldErrors = Object.keys(fieldErrorsFrom(formError)).length > 0;

  return (
    <form className="form checkout-form" onSubmit={handleSubmit} aria-label="Checkout" noValidate>
      <h1>Checkout</h1>
      {formError && !serverFieldErrors ? <ErrorMessage error={formError} title="Your order could not be placed" /> : null}
      {Object.keys(errors).length ? (
        <p className="alert alert--error" role="alert">
          Please correct the marked fields.
        </p>
      ) : null}

      <fieldset className="fieldset">
        <legend>Shipping address</legend>
        <TextField
          label="Full name"
          autoComplete="shipping name"
          value={address.name}
          onChange={(e) => setAddress('name')(e.target.value)}
          error={errors['shipping_address.name']}
        />
        <TextField
          label="Street and house number"
          autoComplete="shipping address-line1"
          value={address.line1}
          onChange={(e) => setAddress('line1')(e.target.value)}
          error={errors['shipping_address.line1']}
        />
        <TextField
          label="Apartment, suite, etc."
          optional
          autoComplete="shipping address-line2"
          value={address.line2}
          onChange={(e) => setAddress('line2')(e.target.value)}
          error={errors['shipping_address.line2']}
        />
        <div className="form__row">
          <TextField
            label="Postal code"
            autoComplete="shipping postal-code"
            value={address.postal_code}
            onChange={(e) => setAddress('postal_code')(e.target.value)}
            error={errors['shipping_address.postal_code']}
          />
          <TextField
            label="City"
            autoComplete="shipping address-level2"
            value={address.city}
            onChange={(e) => setAddress('city')(e.target.value)}
            error={errors['shipping_address.city']}
          />
        </div>
        <SelectField
          label="Country"
          autoComplete="shipping country"
          value={address.country}
          onChange={(e) => setAddress('country')(e.target.value)}
          error={errors['shipping_address.country']}
        >
          <option value="">Choose a country</option>
          {COUNTRIES.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Payment</legend>
        <TestCards
          onUse={(number) =>
            setInput((current) => ({
              ...current,
              payment: {
                card_number: groupCardNumber(number),
                expiry: current.payment.expiry || '12/34',
                cvc: current.payment.cvc || '123',
              },
            }))
          }
        />
        <TextField
          label="Card number"
          inputMode="numeric"
          autoComplete="cc-number"
          value={payment.card_number}
          onChange={(e) => setPayment('card_number')(e.target.value)}
          error={errors['payment.card_number']}
        />
        <div className="form__row">
          <TextField
            label="Expiry (MM/YY)"
            inputMode="numeric"
            autoComplete="cc-exp"
            placeholder="MM/YY"
            value={payment.expiry}
            onChange={(e) => setPayment('expiry')(formatExpiry(e.target.value))}
            error={errors['payment.expiry']}
          />
          <TextField
            label="CVC"
            inputMode="numeric"
            autoComplete="cc-csc"
            maxLength={4}
            value={payment.cvc}
            onChange={(e) => setPayment('cvc')(e.target.value.replace(/\D/g, ''))}
            error={errors['payment.cvc']}
          />
        </div>
      </fieldset>

      <Button type="submit" className="btn--block btn--lg" isLoading={placeOrder.isPending} disabled={!canSubmit}>
        {placeOrder.isPending ? 'Placing your order…' : 'Place order and pay'}
      </Button>
      {!canSubmit ? <p className="muted">Your cart must hold at least one item that is in stock.</p> : null}
    </form>
  );
}
