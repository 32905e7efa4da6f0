import type { Request } from 'express';
import { extractToken, type Caller } from '@ocr/auth';
import { resolveCaller, resolveChatCaller } from '@ocr/app';
import type { Platform } from '../platform';

function token(req: Request): string | undefined {
  return extractToken(req.headers.authorization, req.query['api_token']);
}

function ip(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Authenticates the request: a token (header or query) must be valid; no token means anonymous. */
export function callerOf(req: Request, platform: Platform): Promise<Caller> {
  return resolveCaller(platform.app.callers, token(req), ip(req));
}

export function chatCallerOf(req: Request, platform: Platform): Promise<Caller> {
  return resolveChatCaller(platform.app.callers, token(req), ip(req));
}
