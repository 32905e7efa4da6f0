import type { NextFunction, Request, Response } from 'express';
import { AppError } from '@ocr/domain';
import { errorBody } from '../errors/error-body';
import { readCookie, SESSION_COOKIE } from '../web/session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a URL (an Origin or a Referer) is this server as the request addressed it. */
function isOwnOrigin(url: string, req: Request): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // includes Origin: null (sandboxed frames, some redirects)
  }
  if (req.secure && parsed.protocol !== 'https:') return false;
  return parsed.host.toLowerCase() === (req.host ?? '').toLowerCase();
}

/**
 * Why the browser says this request comes from another site, or null. Fetch metadata first
 * (Sec-Fetch-Site: every current browser sends it), then Origin (sent on every cross-origin POST),
 * then Referer. A request with none of them is not from a browser, so it carries no borrowed cookie.
 */
export function crossSiteReason(req: Request): string | null {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== '') return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site: ${site}`;
  const origin = req.headers['origin'];
  if (typeof origin === 'string' && origin !== '') return isOwnOrigin(origin, req) ? null : `Origin: ${origin}`;
  const referer = req.headers['referer'];
  if (typeof referer === 'string' && referer !== '') return isOwnOrigin(referer, req) ? null : 'Referer from another site';
  return null;
}

/**
 * CSRF: a state-changing request that a browser sends from another site is refused (403) when it
 * would act with the session cookie, and on every web form (sign-in and sign-up have no session
 * yet: login CSRF). SameSite=Lax alone lets sibling subdomains and other ports through.
 * API calls without the cookie authenticate by token, which another site cannot attach.
 */
export function csrfGuard() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const withSession = readCookie(req, SESSION_COOKIE) !== undefined || /(^|;)\s*ocr_session=/.test(req.headers.cookie ?? '');
    const webForm = !req.path.toLowerCase().startsWith('/api/');
    if (!withSession && !webForm) return next();
    const reason = crossSiteReason(req);
    if (reason === null) return next();
    res
      .status(403)
      .json(errorBody(new AppError('forbidden', `cross-site request refused (${reason}); submit the form from this site`)));
  };
}
