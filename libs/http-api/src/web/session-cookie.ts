import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'ocr_session';

/** A cookie's value; a malformed one (bad percent-encoding) is no cookie, never an error. */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * HttpOnly (scripts cannot read it), SameSite=Lax (a first line against CSRF; the origin check in
 * security/csrf.ts is the real one: Lax does not stop sibling subdomains or other ports), and
 * Secure when the request came over TLS (directly, or per X-Forwarded-Proto from a trusted proxy).
 */
export function setSessionCookie(req: Request, res: Response, value: string, hours: number): void {
  const secure = req.secure ? '; Secure' : '';
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${hours * 3600}${secure}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  const secure = req.secure ? '; Secure' : '';
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
}
