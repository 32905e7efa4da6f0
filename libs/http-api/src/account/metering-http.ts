import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError, type Account } from '@ocr/domain';
import { ownerOf, type Caller } from '@ocr/auth';
import type { Allowance, Plan } from '@ocr/accounts';
import type { Platform } from '../platform';

/** The caller with its plan and, for accounts, the account record. */
export interface MeteredCaller {
  caller: Caller;
  owner: string;
  plan: Plan;
  account: Account | null;
}

/**
 * The plan a caller is on. A token whose account has no record (tokens made by `make token`
 * before accounts existed) belongs to the operator, so it keeps working unmetered.
 */
export async function meteredCaller(platform: Platform, caller: Caller): Promise<MeteredCaller> {
  if (caller.kind === 'anonymous') return { caller, owner: ownerOf(caller), plan: platform.plans.anonymous, account: null };
  const account = await platform.accounts.get(caller.accountId);
  return { caller, owner: ownerOf(caller), plan: platform.plans[account?.plan ?? 'operator'], account };
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
  res.setHeader('X-Plan', a.plan);
  res.setHeader('X-Credits-Limit', a.limit);
  res.setHeader('X-Credits-Used', String(a.used));
  res.setHeader('X-Credits-Cap', a.cap === null ? 'unlimited' : String(a.cap));
  res.setHeader('X-Credits-Remaining', a.remaining === null ? 'unlimited' : String(a.remaining));
  if (a.resets_at) res.setHeader('X-Credits-Reset', a.resets_at);
}
