import { useNavigate } from 'react-router';

import { ChangePasswordForm, ProfileForm, useUser } from '@/features/auth';
import { useDocumentTitle } from '@/lib/use-document-title';

export function AccountRoute() {
  useDocumentTitle('Your account');
  const user = useUser();
  const navigate = useNavigate();
  if (!user) return null;
  return (
    <div className="page page--narrow">
      <h1>Your account</h1>
      <div className="stack">
        <section className="card">
          <ProfileForm user={user} />
        </section>
        <section className="card">
          <ChangePasswordForm onSuccess={() => void navigate('/login')} />
        </section>
      </div>
    </div>
  );
}
