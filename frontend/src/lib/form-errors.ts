import { isApiError } from './api-client';

export type FieldErrors = Record<string, string>;

/**
 * Flattens the `details` of a 400 `validation_error` into one message per
 * field, keyed by dotted path: {"shipping_address": {"city": ["Required."]}}
 * and {"shipping_address.city": ["Required."]} both become
 * {"shipping_address.city": "Required."}.
 */
export function fieldErrorsFrom(error: unknown): FieldErrors {
  if (!isApiError(error) || error.code !== 'validation_error') return {};
  const result: FieldErrors = {};
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      result[path] ??= value;
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
    } else if (value && typeof value === 'object') {
      for (const [key, nested] of Object.entries(value)) walk(nested, path ? `${path}.${key}` : key);
    }
  };
  walk(error.details, '');
  return result;
}
