import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { AppError, ERROR_STATUS, errorMessage, isUnavailableError, type ErrorCode } from '@ocr/domain';

/** The named error, whole, in a binary trailer: the gateway answers exactly what standalone would. */
const ERROR_TRAILER = 'ocr-error-bin';

const GRPC_STATUS: Record<ErrorCode, status> = {
  missing_file: status.INVALID_ARGUMENT,
  unsupported_type: status.INVALID_ARGUMENT,
  file_too_large: status.INVALID_ARGUMENT,
  too_many_pages: status.INVALID_ARGUMENT,
  image_too_large: status.INVALID_ARGUMENT,
  invalid_field: status.INVALID_ARGUMENT,
  invalid_document: status.INVALID_ARGUMENT,
  invalid_json: status.INVALID_ARGUMENT,
  unauthorized: status.UNAUTHENTICATED,
  payment_required: status.RESOURCE_EXHAUSTED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  method_not_allowed: status.UNIMPLEMENTED,
  not_ready: status.FAILED_PRECONDITION,
  no_tables: status.FAILED_PRECONDITION,
  email_taken: status.ALREADY_EXISTS,
  payload_too_large: status.INVALID_ARGUMENT,
  too_many_requests: status.RESOURCE_EXHAUSTED,
  internal: status.INTERNAL,
  not_implemented: status.UNIMPLEMENTED,
  unavailable: status.UNAVAILABLE,
};

interface ErrorLogger {
  error(obj: object, msg: string): void;
}

/**
 * A failure inside a service as a gRPC status. Named errors keep their name; a dependency that
 * did not answer (database, object store, broker) is 'unavailable'; anything else is our bug.
 */
export function toStatus(err: unknown, log: ErrorLogger): Partial<StatusObject> {
  let named: AppError;
  if (err instanceof AppError) named = err;
  else if (isUnavailableError(err)) named = new AppError('unavailable', `a dependency is unavailable: ${errorMessage(err)}`);
  else {
    log.error({ err: errorMessage(err), stack: err instanceof Error ? err.stack : undefined }, 'unhandled error in a gRPC call');
    named = new AppError('internal', 'internal error');
  }
  const metadata = new Metadata();
  metadata.set(ERROR_TRAILER, Buffer.from(JSON.stringify({ code: named.code, message: named.message, details: named.details })));
  return { code: GRPC_STATUS[named.code], details: named.message, metadata };
}

function namedError(err: ServiceError): AppError | null {
  const raw = err.metadata?.get(ERROR_TRAILER)[0];
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw) as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof parsed.code !== 'string' || !(parsed.code in ERROR_STATUS)) return null;
    const details = typeof parsed.details === 'object' && parsed.details !== null ? (parsed.details as Record<string, unknown>) : {};
    return new AppError(parsed.code as ErrorCode, String(parsed.message ?? parsed.code), details);
  } catch {
    return null;
  }
}

/**
 * A failed call as the named error the service raised. A service that cannot be reached, or does
 * not answer within the deadline, is 'unavailable' (503 with Retry-After at the gateway).
 */
export function fromServiceError(err: unknown, service: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as Partial<ServiceError>;
  if (typeof e.code === 'number') {
    const named = namedError(e as ServiceError);
    if (named) return named;
    if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED || e.code === status.CANCELLED) {
      // The cause (addresses, resolver notes) is for the logs, not for the client.
      return new AppError('unavailable', `the ${service} service is unavailable; retry shortly`, { service, reason: status[e.code] });
    }
  }
  return new AppError('internal', `the ${service} service failed: ${errorMessage(err)}`);
}
