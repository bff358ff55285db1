import type { Money, Timestamp } from './api-types';

const LOCALE = 'en-IE';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * Formats a decimal string such as "1299.90" for display. Intl formats the
 * string itself (no conversion to a binary float), so what the customer
 * reads is exactly what the server computed.
 */
export function formatMoney(amount: Money, currency = 'EUR'): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(amount as Intl.StringNumericLiteral);
}

const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium' });

export function formatDateTime(timestamp: Timestamp): string {
  return dateTimeFormat.format(new Date(timestamp));
}

export function formatDate(timestamp: Timestamp): string {
  return dateFormat.format(new Date(timestamp));
}

/** "2 items", "1 item". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
