import { isApiError, NETWORK_ERROR_STATUS } from '@/lib/api-client';

import { Button } from './button';

type ErrorMessageProps = {
  error: unknown;
  title?: string;
  onRetry?: () => void;
};

export function describeError(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === NETWORK_ERROR_STATUS) return error.message;
    if (error.status >= 500) return `${error.message} Please try again in a moment.`;
    return error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** Quotes the gateway's request id so a support request can find the logs. */
export function RequestId({ error }: { error: unknown }) {
  if (!isApiError(error) || !error.requestId) return null;
  return (
    <p className="request-id">
      Request ID: <code data-testid="request-id">{error.requestId}</code>
    </p>
  );
}

export function ErrorMessage({ error, title = 'Something went wrong', onRetry }: ErrorMessageProps) {
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{title}</p>
      <p>{describeError(error)}</p>
      <RequestId error={error} />
      {onRetry ? (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
