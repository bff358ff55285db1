/** Shapes shared by every service's API (see docs/conventions.md). */

/** A money amount as the services send it: a decimal string such as "19.99". */
export type Money = string;

/** ISO 8601 timestamp in UTC. */
export type Timestamp = string;

/** The one error shape every service, and the gateway, answers with. */
export type ApiErrorBody = {
  error: {
    code: string;
    message: string;
    details: Record<string, unknown>;
  };
};

/** Every paginated list: catalog products, orders, notifications. */
export type Paginated<T> = {
  count: number;
  page: number;
  page_size: number;
  total_pages: number;
  next: string | null;
  previous: string | null;
  results: T[];
};
