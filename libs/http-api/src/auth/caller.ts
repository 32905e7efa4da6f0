import type { Request } from 'express';
import { AppError } from '@ocr/domain';
import { extractToken, type Caller } from '@ocr/auth';
import type { Platform } from '../platform';
import { readCookie, SESSION_COOKIE } from '../web/session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie speaks for its account only on requests the web app itself makes. SameSite=Lax
 * already keeps it off other sites' POSTs; this also refuses it when the browser says the request
 * came from elsewhere (Sec-Fetch-Site), or when a state-changing request names another Origin
 * (sibling subdomains are "same-site" to Lax but not same-origin).
 */
function sameOriginBrowserCall(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  if (SAFE_METHODS.has(req.method)) return true;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Authenticates the request: a token (header or query) must be valid; without one, the web app's
 * session cookie on a same-origin call is its account; otherwise the call is anonymous. Tokens and
 * sessions are asked of the identity and accounts services (in this process or auth-billing).
 */
export async function resolveCaller(req: Request, platform: Platform): Promise<Caller> {
  const { callers } = platform.app;
  const token = extractToken(req.headers.authorization, req.query['api_token']);
  if (token !== undefined) {
    return { kind: 'account', accountId: await callers.identity.authenticate(token) };
  }
  const session = readCookie(req, SESSION_COOKIE);
  if (session !== undefined && sameOriginBrowserCall(req)) {
    const account = await callers.accounts.sessionAccount(session);
    if (account) return { kind: 'account', accountId: account.id };
  }
  if (!callers.allowAnonymous) throw new AppError('unauthorized', 'an API token is required');
  return { kind: 'anonymous', ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
}

/** The cluster branch's name for the same thing. */
export const callerOf = resolveCaller;

const CHAT_NEEDS_ACCOUNT = 'chat needs an account: send Authorization: Bearer <token> or ?api_token=<token>';

/** Chat is account-gated; say what it needs whether the token is missing or anonymous calls are off. */
export async function chatCallerOf(req: Request, platform: Platform): Promise<Caller & { kind: 'account' }> {
  const caller = await resolveCaller(req, platform).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'unauthorized' && !req.headers.authorization && req.query['api_token'] === undefined) {
      throw new AppError('unauthorized', CHAT_NEEDS_ACCOUNT);
    }
    throw err;
  });
  if (caller.kind !== 'account') throw new AppError('unauthorized', CHAT_NEEDS_ACCOUNT);
  return caller;
}
