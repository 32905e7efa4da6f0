import { AppError, ERROR_STATUS, type ErrorCode } from '@ocr/domain';

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

export function errorBody(err: AppError): ErrorBody {
  return { error: err.code, message: err.message, ...err.details };
}

/** Maps an HTTP status that did not come from an AppError (framework errors) onto our codes. */
export function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  return match ? match[0] : status >= 500 ? 'internal' : 'invalid_field';
}
