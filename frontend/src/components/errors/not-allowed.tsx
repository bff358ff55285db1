import { Link } from 'react-router';

import { useDocumentTitle } from '@/lib/use-document-title';

/** Shown to a signed-in user whose role does not open the page. */
export function NotAllowed() {
  useDocumentTitle('Not allowed');
  return (
    <div className="page page--narrow error-page">
      <h1>Not allowed</h1>
      <p>Your account does not have access to this page. It is for shop administrators only.</p>
      <p>
        <Link to="/" className="btn btn--primary">
          Back to the shop
        </Link>
      </p>
    </div>
  );
}
