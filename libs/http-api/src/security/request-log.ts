import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Tokens as the service issues them; any value of this shape is hidden, whatever parameter carries it. */
const TOKEN_SHAPE = /ocr_[A-Za-z0-9_-]{8,}/;
const TOKEN_SHAPES = /ocr_[A-Za-z0-9_-]{8,}/g;
const HIDDEN = '***';

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function redactParam(part: string): string {
  const eq = part.indexOf('=');
  const rawName = eq < 0 ? part : part.slice(0, eq);
  const name = decodeLoosely(rawName).trim().toLowerCase();
  if (TOKEN_SHAPE.test(name)) return HIDDEN;
  const value = eq < 0 ? '' : decodeLoosely(part.slice(eq + 1));
  return name.startsWith('api_token') || TOKEN_SHAPE.test(value) ? `${rawName}=${HIDDEN}` : part;
}

/**
 * The URL as it may be logged. Parameters are judged by their decoded names and values, the way
 * the query parser reads them: `api%5Ftoken`, `%61pi_token`, `api_token[]` and repeats are all
 * `api_token`, and any value shaped like a token is hidden too.
 */
export function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const path = TOKEN_SHAPE.test(decodeLoosely(rawPath)) ? decodeLoosely(rawPath).replace(TOKEN_SHAPES, `ocr_${HIDDEN}`) : rawPath;
  if (q < 0) return path;
  return `${path}?${url.slice(q + 1).split('&').map(redactParam).join('&')}`;
}

/** One line per request: method, redacted URL, status, duration. Never headers (Authorization, Cookie). */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.on('finish', () =>
      log.info({ method: req.method, url: redactedUrl(req.originalUrl), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'),
    );
    next();
  };
}

/**
 * Behind a reverse proxy without TRUST_PROXY every client has the proxy's address: one anonymous
 * identity, one allowance, one sign-in throttle for everybody. Said once, loudly, when the first
 * forwarded request shows it.
 */
export function proxyTrustWarning(log: Logger, trustProxy: string) {
  let warned = trustProxy !== '' && trustProxy !== 'false';
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!warned && (req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined)) {
      warned = true;
      log.warn(
        { remote: req.socket.remoteAddress },
        'requests arrive with X-Forwarded-For but TRUST_PROXY is unset: every client behind the proxy shares its address ' +
          '(one anonymous identity and allowance, one sign-in throttle). Set TRUST_PROXY to the proxy (e.g. loopback, 10.0.0.0/8 or a hop count)',
      );
    }
    next();
  };
}
