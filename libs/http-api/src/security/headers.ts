import type { NextFunction, Request, Response } from 'express';

/**
 * Only our own files run: no inline script or style (the pages load /static/site.css and
 * /static/account.js), no plugins, no framing by anyone (clickjacking), forms post only here.
 * Images may be data:/blob: URLs (the web app draws page images it fetched).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** For downloads (hOCR is XHTML): opened in a tab anyway, it is a sandboxed document that runs nothing. */
export const DOWNLOAD_SECURITY_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'";

/** Security headers on every response; HSTS only when the request came over TLS (req.secure honours TRUST_PROXY). */
export function securityHeaders(hstsMaxAgeSeconds: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Tokens may ride in query strings (?api_token=): never hand a URL of ours to another site.
    // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on their own form posts, which the CSRF check must refuse.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.secure && hstsMaxAgeSeconds > 0) res.setHeader('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`);
    next();
  };
}
