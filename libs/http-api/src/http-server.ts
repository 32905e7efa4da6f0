import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { runWithContext } from '@ocr/app';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { ApiModule } from './api.module';
import type { Platform } from './platform';

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

function trustProxyValue(setting: string): boolean | number | string {
  if (setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}

export async function createHttpApp(platform: Platform): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(platform), {
    logger: new PinoNestLogger(platform.log),
    bodyParser: true,
  });
  app.set('trust proxy', trustProxyValue(platform.app.settings.TRUST_PROXY));
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: () => void) => {
    const started = performance.now();
    // One id per request, in every log line and every call to another service (gRPC metadata).
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () =>
      platform.log.info(
        { request_id: requestId, method: req.method, url: req.url.replace(/api_token=[^&]*/, 'api_token=***'), status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      ),
    );
    runWithContext({ requestId }, next);
  });
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<number> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : port;
}
