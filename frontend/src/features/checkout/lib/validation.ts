import type { CheckoutInput } from '../types';

export type CheckoutErrors = Partial<Record<string, string>>;

export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** The Luhn checksum every real card number (and every test card) passes. */
export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isExpiryValid(expiry: string, today = new Date()): boolean {
  const match = /^(\d{2})\/(\d{2})$/.exec(expiry.trim());
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  if (month < 1 || month > 12) return false;
  // A card is valid until the end of its expiry month.
  return year > today.getFullYear() || (year === today.getFullYear() && month >= today.getMonth() + 1);
}

/** Field errors keyed like the server's: "shipping_address.city", "payment.cvc". */
export function validateCheckout(input: CheckoutInput, today = new Date()): CheckoutErrors {
  const errors: CheckoutErrors = {};
  const address = input.shipping_address;
  if (!address.name.trim()) errors['shipping_address.name'] = 'Enter the name of the recipient.';
  if (!address.line1.trim()) errors['shipping_address.line1'] = 'Enter the street and house number.';
  if (!address.city.trim()) errors['shipping_address.city'] = 'Enter the city.';
  if (!/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(address.postal_code.trim())) {
    errors['shipping_address.postal_code'] = 'Enter a postal code such as 10115.';
  }
  if (!/^[A-Z]{2}$/.test(address.country)) errors['shipping_address.country'] = 'Choose a country.';

  const number = digitsOnly(input.payment.card_number);
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    errors['payment.card_number'] = 'Enter a valid card number.';
  }
  if (!isExpiryValid(input.payment.expiry, today)) {
    errors['payment.expiry'] = 'Enter an expiry date in the future, as MM/YY.';
  }
  if (!/^\d{3,4}$/.test(input.payment.cvc.trim())) errors['payment.cvc'] = 'Enter the 3 or 4 digits on the back.';
  return errors;
}
