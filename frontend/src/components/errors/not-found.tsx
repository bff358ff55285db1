import { Link } from 'react-router';

import { useDocumentTitle } from '@/lib/use-document-title';

export function NotFound({ title = 'Page not found', message = 'There is nothing at this address.' }) {
  useDocumentTitle(title);
  return (
    <div className="page page--narrow error-page">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="btn btn--primary">
          Back to the shop
        </Link>
      </p>
    </div>
  );
}
