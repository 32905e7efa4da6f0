import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Request, Response } from 'express';
import { runWithContext } from '@ocr/app';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '@ocr/domain';
import { ApiModule } from './api.module';
import type { Platform } from './platform';
import { csrfGuard } from './security/csrf';
import { securityHeaders } from './security/headers';
import { proxyTrustWarning, requestLog } from './security/request-log';
import { serveWebAppFiles } from './web/web-app';

/** Nest's own log lines go through pino, so the service writes one structured log. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
}

/** Express error middleware right after the body parsers: JSON that does not parse is `invalid_json`. */
function bodyParserErrors(err: unknown, _req: unknown, _res: unknown, next: (err?: unknown) => void): void {
  if ((err as { type?: unknown } | null)?.type === 'entity.parse.failed') {
    next(new AppError('invalid_json', `the body is not valid JSON: ${errorMessage(err)}`));
    return;
  }
  next(err);
}

function trustProxyValue(setting: string): boolean | number | string {
  if (setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}

/** Requests by registered route, never the URL: uuids and query strings would make a series per request. */
function requestMetrics(platform: Platform) {
  return (req: { method: string; route?: { path?: unknown } }, res: { on: (e: string, f: () => void) => void; statusCode: number }, next: () => void): void => {
    res.on('finish', () => platform.metrics.request(req.method, typeof req.route?.path === 'string' ? req.route.path : 'unmatched', res.statusCode));
    next();
  };
}

export async function createHttpApp(platform: Platform): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(platform), {
    logger: new PinoNestLogger(platform.log),
    // The same parsers Nest would add, registered here so a malformed body becomes a named error:
    // Nest turns body-parser's SyntaxError into a bare 400 that cannot be told from others.
    bodyParser: false,
  });
  app.useBodyParser('json');
  app.useBodyParser('urlencoded', { extended: true });
  app.use(bodyParserErrors);
  app.set('trust proxy', trustProxyValue(platform.settings.TRUST_PROXY));
  app.disable('x-powered-by');
  const { settings, log } = platform;
  app.use((req: Request, res: Response, next: () => void) => {
    // One id per request, in every log line and every call to another service (gRPC metadata).
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    runWithContext({ requestId }, next);
  });
  app.use(securityHeaders(settings.HSTS_MAX_AGE_SECONDS));
  app.use(proxyTrustWarning(log, settings.TRUST_PROXY));
  app.use(requestLog(log));
  app.use(requestMetrics(platform));
  app.use(csrfGuard());
  serveWebAppFiles(app, settings);
  // No Nest shutdown hooks: each app's own SIGTERM handler closes the server, then its engines and
  // stores. Nest's hook re-raised the signal once the server had closed, ending the process before
  // its Tesseract processes were ended (exit 143, three left running for a moment).
  return app;
}

export async function listen(app: INestApplication, port: number, host: string, keepAliveSeconds: number): Promise<number> {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = keepAliveSeconds * 1000;
  // Node requires the headers timeout to outlast the keep-alive one, or it cuts reused sockets short.
  server.headersTimeout = (keepAliveSeconds + 5) * 1000;
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : port;
}
