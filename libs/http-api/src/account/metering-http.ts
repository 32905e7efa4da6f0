import type { Request, Response } from 'express';
import { AppError } from '@ocr/domain';
import type { Allowance } from '@ocr/accounts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** `Idempotency-Key`: 1-255 visible ASCII characters; anything else is a 400, not silently ignored. */
export function idempotencyKey(req: Request): string | null {
  const value = req.headers['idempotency-key'];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw new AppError('invalid_field', 'Idempotency-Key must be 1-255 visible ASCII characters', { field: 'Idempotency-Key' });
  }
  return value;
}

/** What is left of the caller's allowance, on every metered response. */
export function setAllowanceHeaders(res: Response, a: Allowance): void {
  if (res.headersSent) return;
  res.setHeader('X-Plan', a.plan);
  res.setHeader('X-Credits-Limit', a.limit);
  res.setHeader('X-Credits-Used', String(a.used));
  res.setHeader('X-Credits-Cap', a.cap === null ? 'unlimited' : String(a.cap));
  res.setHeader('X-Credits-Remaining', a.remaining === null ? 'unlimited' : String(a.remaining));
  if (a.resets_at) res.setHeader('X-Credits-Reset', a.resets_at);
}
