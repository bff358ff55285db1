import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, SelectField, Spinner, TextAreaField, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useAdminCategories } from '../api/get-admin-categories';
import type { AdminCategoryNode, ProductWriteInput } from '../types';

type ProductFormProps = {
  initial?: ProductFormValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: ProductWriteInput) => void;
};

/** The form edits strings; the category id becomes a number when sent. */
type ProductFormValues = Omit<ProductWriteInput, 'category_id'> & { category_id: string };

const EMPTY: ProductFormValues = { sku: '', name: '', description: '', price: '', category_id: '' };

const SKU = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

function flatten(nodes: AdminCategoryNode[], depth = 0): { id: number; label: string }[] {
  return nodes.flatMap((node) => [
    { id: node.id, label: `${'— '.repeat(depth)}${node.name}` },
    ...flatten(node.children, depth + 1),
  ]);
}

export function validateProduct(input: ProductFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!SKU.test(input.sku)) errors.sku = 'Use 3 to 32 upper-case letters, digits and dashes.';
  if (!input.name.trim()) errors.name = 'Enter a name.';
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(input.price.trim())) errors.price = 'Enter a price such as 19.99.';
  if (!input.category_id) errors.category_id = 'Choose a category.';
  return errors;
}

export function ProductForm({ initial = EMPTY, submitLabel, pending, error, onSubmit }: ProductFormProps) {
  const categoriesQuery = useAdminCategories();
  const [values, setValues] = useState<ProductFormValues>(initial);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const serverErrors = fieldErrorsFrom(error);
  const errors = { ...serverErrors, ...localErrors };

  const set = (field: keyof ProductFormValues) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { ...values, sku: values.sku.trim().toUpperCase(), name: values.name.trim(), price: values.price.trim() };
    const found = validateProduct(input);
    setLocalErrors(found);
    if (Object.keys(found).length) return;
    onSubmit({ ...input, category_id: Number(input.category_id) });
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-label="Product" noValidate>
      {error && Object.keys(serverErrors).length === 0 ? (
        <ErrorMessage error={error} title="The product could not be saved" />
      ) : null}
      <div className="form__row">
        <TextField label="SKU" value={values.sku} onChange={set('sku')} error={errors.sku} />
        <TextField label="Price (€)" inputMode="decimal" value={values.price} onChange={set('price')} error={errors.price} />
      </div>
      <TextField label="Name" value={values.name} onChange={set('name')} error={errors.name} />
      {categoriesQuery.isPending ? (
        <Spinner label="Loading categories…" size="sm" />
      ) : categoriesQuery.isError ? (
        <ErrorMessage error={categoriesQuery.error} title="Categories could not be loaded" />
      ) : (
        <SelectField label="Category" value={values.category_id} onChange={set('category_id')} error={errors.category_id}>
          <option value="">Choose a category</option>
          {flatten(categoriesQuery.data).map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField label="Description" rows={6} value={values.description} onChange={set('description')} error={errors.description} />
      <Button type="submit" isLoading={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
