import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';

import { RegisterForm, safeNext, useUser } from '@/features/auth';
import { useDocumentTitle } from '@/lib/use-document-title';

export function RegisterRoute() {
  useDocumentTitle('Create account');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const user = useUser();
  const next = safeNext(searchParams.get('next'));
  const loginHref = searchParams.get('next') ? `/login?next=${encodeURIComponent(next)}` : '/login';

  if (user) return <Navigate to={next} replace />;

  return (
    <div className="page page--narrow auth-page">
      <div className="card auth-card">
        <h1>Create account</h1>
        <RegisterForm onSuccess={() => void navigate(next, { replace: true })} />
        <p className="auth-card__switch">
          Already have an account? <Link to={loginHref}>Log in</Link>
        </p>
      </div>
    </div>
  );
}
