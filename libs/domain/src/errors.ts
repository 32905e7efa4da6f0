/**
 * Every failure the API can report has a name here and exactly one HTTP status,
 * so the mapping lives in one place (as OCRmyPDF names each failure with its exit code).
 */
export const ERROR_STATUS = {
  missing_file: 400,
  unsupported_type: 400,
  file_too_large: 400,
  too_many_pages: 400,
  image_too_large: 400,
  invalid_field: 400,
  invalid_document: 400,
  /** A request body declared as JSON that does not parse. */
  invalid_json: 400,
  unauthorized: 401,
  payment_required: 402,
  /** A cross-site request carrying the session cookie (CSRF), refused before it runs. */
  forbidden: 403,
  not_found: 404,
  /** A known path asked with a method it does not answer; the response carries `Allow`. */
  method_not_allowed: 405,
  not_ready: 409,
  /** A table export of a document in which no table was found. */
  no_tables: 409,
  email_taken: 409,
  /** A file over the caller's plan's cost limits (frames, decoded pixels), refused before decoding. */
  payload_too_large: 413,
  /** Sign-in lockouts and sign-up limits; `retry_after` (seconds) becomes the Retry-After header. */
  too_many_requests: 429,
  internal: 500,
  /** A feature this deployment shape does not offer yet (the cluster gateway); the body names it. */
  not_implemented: 501,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A page or document that cannot be processed: the job fails with this reason, the service stays up. */
export class DocumentError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('invalid_document', message, details);
    this.name = 'DocumentError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A dependency that did not answer (a database, object store or broker down or unreachable), as
 * its driver reports it. Such failures become 'unavailable' (503 with Retry-After), not 500: the
 * request is fine, it can be retried when the dependency is back.
 */
const UNAVAILABLE_PATTERN =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|socket hang up|MongoNetwork|MongoServerSelection|MongoNotConnected|buffering timed out|connection .*closed|Client must be connected|KafkaJS(Connection|NumberOfRetriesExceeded|Timeout)|ServiceUnavailable|SlowDown/i;

export function isUnavailableError(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable';
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  const text = `${err.name} ${typeof code === 'string' ? code : ''} ${err.message}`;
  return UNAVAILABLE_PATTERN.test(text) || (err.cause !== undefined && err.cause !== err && isUnavailableError(err.cause));
}
