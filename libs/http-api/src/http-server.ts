import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { ApiModule } from './api.module';
import type { Platform } from './platform';
import { csrfGuard } from './security/csrf';
import { securityHeaders } from './security/headers';
import { proxyTrustWarning, requestLog } from './security/request-log';
import { serveWebAppFiles } from './web/web-app';

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
  app.set('trust proxy', trustProxyValue(platform.settings.TRUST_PROXY));
  app.disable('x-powered-by');
  const { settings, log } = platform;
  app.use(securityHeaders(settings.HSTS_MAX_AGE_SECONDS));
  app.use(proxyTrustWarning(log, settings.TRUST_PROXY));
  app.use(requestLog(log));
  app.use(csrfGuard());
  serveWebAppFiles(app, settings);
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<number> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : port;
}
