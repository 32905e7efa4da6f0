import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '@ocr/domain';
import type { Caller } from '@ocr/auth';
import type { Allowance } from '@ocr/accounts';
import { meteredCaller as meteredCallerOf, type MeteredCaller } from '@ocr/app';
import type { Platform } from '../platform';

export type { MeteredCaller };

/**
 * The plan a caller is on. A token whose account has no record (tokens made by `make token`
 * before accounts existed) belongs to the operator, so it keeps working unmetered.
 */
export function meteredCaller(platform: Platform, caller: Caller): Promise<MeteredCaller> {
  return meteredCallerOf(platform.app.callers, caller);
}

/** `Idempotency-Key`: 1-255 visible ASCII characters. The OpenAPI document uses this same schema. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .meta({ description: 'A retry with the same key (same caller) answers with the same job and is charged once' });

/** Anything but a valid key is a 400, not silently ignored. */
export function idempotencyKey(req: Request): string | null {
  const value = req.headers['idempotency-key'];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !idempotencyKeySchema.safeParse(value).success) {
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
