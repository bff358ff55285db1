import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';

import { useLogin } from '../api/login';
import type { User } from '../types';

type LoginFormProps = {
  onSuccess: (user: User) => void;
};

export function LoginForm({ onSuccess }: LoginFormProps) {
  const loginMutation = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const fieldErrors = fieldErrorsFrom(loginMutation.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    loginMutation.mutate({ email: email.trim(), password }, { onSuccess: (result) => onSuccess(result.user) });
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-label="Log in">
      {loginMutation.isError && Object.keys(fieldErrors).length === 0 ? (
        <ErrorMessage error={loginMutation.error} title="Could not log you in" />
      ) : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
      />
      <Button type="submit" isLoading={loginMutation.isPending} className="btn--block">
        Log in
      </Button>
    </form>
  );
}
