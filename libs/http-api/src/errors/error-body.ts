import { AppError, ERROR_STATUS, type ErrorCode } from '@ocr/domain';

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

export function errorBody(err: AppError): ErrorBody {
  return { error: err.code, message: err.message, ...err.details };
}

/** The code of a framework error by status, where several codes share it (400 is not `missing_file`). */
const GENERIC: Partial<Record<number, ErrorCode>> = { 400: 'invalid_field', 409: 'not_ready' };

/** Body-parser failures by their `type` (malformed JSON is turned into invalid_json in http-server.ts). */
const BODY_PARSER: Record<string, ErrorCode> = { 'entity.too.large': 'payload_too_large' };

/** Maps an HTTP status that did not come from an AppError (framework errors) onto our codes. */
export function codeForStatus(status: number, type?: unknown): ErrorCode {
  if (typeof type === 'string' && BODY_PARSER[type]) return BODY_PARSER[type];
  const generic = GENERIC[status];
  if (generic) return generic;
  const match = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  return match ? match[0] : status >= 500 ? 'internal' : 'invalid_field';
}
