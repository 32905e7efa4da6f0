import type { Request } from 'express';
import { AppError } from '@ocr/domain';
import { extractToken, type Caller } from '@ocr/auth';
import type { Platform } from '../platform';

/** Authenticates the request: a token (header or query) must be valid; no token means anonymous. */
export async function resolveCaller(req: Request, platform: Platform): Promise<Caller> {
  const token = extractToken(req.headers.authorization, req.query['api_token']);
  if (token !== undefined) {
    return { kind: 'account', accountId: await platform.tokens.authenticate(token) };
  }
  if (!platform.settings.ALLOW_ANONYMOUS) throw new AppError('unauthorized', 'an API token is required');
  return { kind: 'anonymous', ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
}
