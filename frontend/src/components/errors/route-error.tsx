import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

import { describeError, RequestId } from '@/components/ui';

/**
 * The last line of defence: a render error or an unexpected API error that no
 * component handled lands here. It shows the request id so that a support
 * request can be matched with the services' logs.
 */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (!notFound) console.error(error);
  return (
    <div className="page page--narrow error-page">
      <h1>{notFound ? 'Page not found' : 'Something went wrong'}</h1>
      <p>{notFound ? 'There is nothing at this address.' : describeError(error)}</p>
      <RequestId error={error} />
      <p className="error-page__actions">
        <Link to="/" className="btn btn--primary">
          Back to the shop
        </Link>
        {!notFound ? (
          <button type="button" className="btn btn--secondary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        ) : null}
      </p>
    </div>
  );
}
