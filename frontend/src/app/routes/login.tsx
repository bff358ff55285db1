import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';

import { LoginForm, safeNext, useSessionEnded, useUser } from '@/features/auth';
import { useDocumentTitle } from '@/lib/use-document-title';

export function LoginRoute() {
  useDocumentTitle('Log in');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const user = useUser();
  const next = safeNext(searchParams.get('next'));
  const reason = useSessionEnded();
  const registerHref = searchParams.get('next') ? `/register?next=${encodeURIComponent(next)}` : '/register';

  // Already signed in (e.g. Back after logging in): nothing to do here.
  if (user) return <Navigate to={next} replace />;

  return (
    <div className="page page--narrow auth-page">
      <div className="card auth-card">
        <h1>Log in</h1>
        {reason === 'expired' ? (
          <p className="alert alert--info" role="status">
            Your session has expired. Please log in again.
          </p>
        ) : reason === 'password-changed' ? (
          <p className="alert alert--success" role="status">
            Your password has been changed. Log in with the new one.
          </p>
        ) : null}
        <LoginForm onSuccess={() => void navigate(next, { replace: true })} />
        <p className="auth-card__switch">
          New here? <Link to={registerHref}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
