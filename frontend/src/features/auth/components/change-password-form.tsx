import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useChangePassword } from '../api/change-password';

import { MIN_PASSWORD_LENGTH } from './register-form';

export function ChangePasswordForm({ onSuccess }: { onSuccess: () => void }) {
  const changeMutation = useChangePassword();
  const [values, setValues] = useState({ current: '', next: '', confirm: '' });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const serverErrors = fieldErrorsFrom(changeMutation.error);
  const currentError = localErrors.current ?? serverErrors.current_password;
  const nextError = localErrors.next ?? serverErrors.new_password;

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.current) found.current = 'Enter your current password.';
    if (values.next.length < MIN_PASSWORD_LENGTH) found.next = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (values.confirm !== values.next) found.confirm = 'The two new passwords differ.';
    setLocalErrors(found);
    if (Object.keys(found).length) return;
    changeMutation.mutate({ current_password: values.current, new_password: values.next }, { onSuccess });
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-labelledby="password-heading" noValidate>
      <h2 id="password-heading">Change password</h2>
      <p className="muted">Changing your password logs you out everywhere, this browser included.</p>
      {changeMutation.isError && !serverErrors.current_password && !serverErrors.new_password ? (
        <ErrorMessage error={changeMutation.error} title="Could not change your password" />
      ) : null}
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={values.current}
        onChange={set('current')}
        error={currentError}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={values.next}
        onChange={set('next')}
        error={nextError}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        value={values.confirm}
        onChange={set('confirm')}
        error={localErrors.confirm}
      />
      <Button type="submit" variant="secondary" isLoading={changeMutation.isPending}>
        Change password
      </Button>
    </form>
  );
}
