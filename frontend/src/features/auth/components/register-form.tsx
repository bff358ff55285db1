import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useRegister } from '../api/register';
import type { User } from '../types';

export const MIN_PASSWORD_LENGTH = 10;

type RegisterFormProps = {
  onSuccess: (user: User) => void;
};

export function RegisterForm({ onSuccess }: RegisterFormProps) {
  const registerMutation = useRegister();
  const [values, setValues] = useState({ name: '', email: '', password: '' });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const serverErrors = fieldErrorsFrom(registerMutation.error);
  const errors = { ...serverErrors, ...localErrors };

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.name.trim()) found.name = 'Enter your name.';
    if (!values.email.trim()) found.email = 'Enter your email address.';
    if (values.password.length < MIN_PASSWORD_LENGTH) {
      found.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    }
    setLocalErrors(found);
    if (Object.keys(found).length) return;
    registerMutation.mutate(
      { name: values.name.trim(), email: values.email.trim(), password: values.password },
      { onSuccess: (result) => onSuccess(result.user) },
    );
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-label="Create account" noValidate>
      {registerMutation.isError && Object.keys(serverErrors).length === 0 ? (
        <ErrorMessage error={registerMutation.error} title="Could not create your account" />
      ) : null}
      <TextField label="Name" name="name" autoComplete="name" required value={values.name} onChange={set('name')} error={errors.name} />
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={values.email}
        onChange={set('email')}
        error={errors.email}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        value={values.password}
        onChange={set('password')}
        error={errors.password}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters; common passwords are refused.`}
      />
      <Button type="submit" isLoading={registerMutation.isPending} className="btn--block">
        Create account
      </Button>
    </form>
  );
}
