import { useState, type FormEvent } from 'react';

import { Button, ErrorMessage, TextField } from '@/components/ui';
import { fieldErrorsFrom } from '@/lib/form-errors';
import { formatDate } from '@/lib/format';

import { useUpdateProfile } from '../api/update-profile';
import type { User } from '../types';

export function ProfileForm({ user }: { user: User }) {
  const updateMutation = useUpdateProfile();
  const [name, setName] = useState(user.name);
  const [localError, setLocalError] = useState<string>();
  const serverErrors = fieldErrorsFrom(updateMutation.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) {
      setLocalError('Enter your name.');
      return;
    }
    setLocalError(undefined);
    updateMutation.mutate({ name: name.trim() });
  };

  return (
    <form className="form" onSubmit={handleSubmit} aria-labelledby="profile-heading" noValidate>
      <h2 id="profile-heading">Profile</h2>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{formatDate(user.created_at)}</dd>
        </div>
      </dl>
      {updateMutation.isError && !serverErrors.name ? (
        <ErrorMessage error={updateMutation.error} title="Could not save your profile" />
      ) : null}
      {updateMutation.isSuccess ? (
        <p className="alert alert--success" role="status">
          Your profile has been saved.
        </p>
      ) : null}
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        required
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={localError ?? serverErrors.name}
      />
      <Button type="submit" isLoading={updateMutation.isPending}>
        Save profile
      </Button>
    </form>
  );
}
