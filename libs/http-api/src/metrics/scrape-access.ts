import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Settings } from '@ocr/config';
import { AppError } from '@ocr/domain';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type ScrapeSettings = Pick<Settings, 'METRICS_ENABLED' | 'METRICS_TOKEN'>;

/**
 * Why a scrape of /metrics is refused, or null when it is allowed: metrics are on, and the caller
 * holds METRICS_TOKEN when one is set.
 */
export function scrapeRefusal(settings: ScrapeSettings, req: Request): AppError | null {
  if (!settings.METRICS_ENABLED) return new AppError('not_found', 'metrics are off on this server (METRICS_ENABLED=false)');
  if (settings.METRICS_TOKEN === '') return null;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return sameSecret(given, settings.METRICS_TOKEN) ? null : new AppError('unauthorized', 'metrics need Authorization: Bearer <METRICS_TOKEN>');
}
