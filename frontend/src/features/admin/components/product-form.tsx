import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, SelectField, Spinner, TextAreaField, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useAdminCategories } from '../api/get-admin-categories';
import type { AdminCategoryNode, ProductWriteInput } from '../types';

type ProductFormProps = {
  initial?: ProductWriteInput;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: ProductWriteInput) => void;
};

const EMPTY: ProductWriteInput = { sku: '', name: '', description: '', price: '', category: '' };

function flatten(nodes: AdminCategoryNode[], depth = 0): { slug: string; label: string }[] {
  return nodes.flatMap((node) => [
    { slug: node.slug, label: `${'— '.repeat(depth)}${node.name}` },
    ...flatten(node.children, depth + 1),
  ]);
}

export function validateProduct(input: ProductWriteInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.sku.trim()) errors.sku = 'Enter a SKU.';
  if (!input.name.trim()) errors.name = 'Enter a name.';
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(input.price.trim())) errors.price = 'Enter a price such as 19.99.';
  if (!input.category) errors.category = 'Choose a category.';
  return errors;
}

export function ProductForm({ initial = EMPTY, submitLabel, pending, error, onSubmit }: ProductFormProps) {
  const categoriesQuery = useAdminCategories();
  const [values, setValues] = useState<ProductWriteInput>(initial);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const serverErrors = fieldErrorsFrom(error);
  const errors = { ...serverErrors, ...localErrors };

  const set = (field: keyof ProductWriteInput) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { ...values, sku: values.sku.trim(), name: values.name.trim(), price: values.price.trim() };
    const found = validateProduct(input);
    setLocalErrors(found);
    if (Object.keys(found).length) return;
    onSubmit(input);
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
        <SelectField label="Category" value={values.category} onChange={set('category')} error={errors.category}>
          <option value="">Choose a category</option>
          {flatten(categoriesQuery.data).map((option) => (
            <option key={option.slug} value={option.slug}>
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
