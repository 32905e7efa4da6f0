import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '@ocr/domain';
import { ApiModule } from './api.module';
import type { Platform } from './platform';

/** Nest's own log lines go through pino, so the service writes one structured log. */
class PinoNestLogger implements LoggerService {
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
  app.use((req: { method: string; url: string; route?: { path?: unknown } }, res: { on: (e: string, f: () => void) => void; statusCode: number }, next: () => void) => {
    const started = performance.now();
    res.on('finish', () => {
      platform.log.info(
        { method: req.method, url: req.url.replace(/api_token=[^&]*/, 'api_token=***'), status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
      // The registered route, never the URL: uuids and query strings would make a series per request.
      platform.metrics.request(req.method, typeof req.route?.path === 'string' ? req.route.path : 'unmatched', res.statusCode);
    });
    next();
  });
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<number> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : port;
}
