export { Badge, type BadgeTone } from './badge';
export { Button } from './button';
export { EmptyState } from './empty-state';
export { describeError, ErrorMessage, RequestId } from './error-message';
export { Pagination } from './pagination';
export { Price } from './price';
export { Spinner } from './spinner';
export { SelectField, TextAreaField, TextField } from './text-field';
