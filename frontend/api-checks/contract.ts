/**
 * Type-level tools for the API checks. `Conforms<From, To>` compiles only
 * when a value of type `From` can be used where `To` is expected; when it
 * cannot, TypeScript names the field that differs.
 *
 * Responses: the service's answer must conform to the type the UI reads.
 * Requests: the body the UI sends must conform to what the service accepts.
 */
export type Conforms<From extends To, To> = From;

type JsonBody<T> = T extends { content: { 'application/json': infer Body } } ? Body : { missing_json_body: T };

type Operation<Paths, Path extends keyof Paths, Method extends keyof Paths[Path]> = Paths[Path][Method];

/** The JSON answer of one operation for one status (a missing status is an error, never `never`). */
export type ResponseOf<
  Paths,
  Path extends keyof Paths,
  Method extends keyof Paths[Path],
  Status extends number = 200,
> =
  Operation<Paths, Path, Method> extends { responses: infer Responses }
    ? Status extends keyof Responses
      ? JsonBody<Responses[Status]>
      : { missing_status: Status }
    : { missing_responses: Path };

/** The JSON body one operation accepts. */
export type RequestOf<Paths, Path extends keyof Paths, Method extends keyof Paths[Path]> =
  Operation<Paths, Path, Method> extends { requestBody?: infer Body } ? JsonBody<NonNullable<Body>> : { missing_request_body: Path };

/** The error shape every service documents for its 4xx answers. */
export type ErrorShape = { error: { code: string; message: string; details: Record<string, unknown> } };
