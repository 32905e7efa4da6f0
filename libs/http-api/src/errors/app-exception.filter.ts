import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response, Request } from 'express';
import { AppError, errorMessage, isUnavailableError } from '@ocr/domain';
import { PLATFORM, type Platform } from '../platform';
import { codeForStatus, errorBody } from './error-body';

/** The one place where failures become HTTP responses: always JSON, 5xx only for our own bugs. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (exception instanceof AppError) {
      if (exception.code === 'unavailable') res.setHeader('Retry-After', String(this.platform.app.settings.RETRY_AFTER_SECONDS));
      res.status(exception.status).json(errorBody(exception));
      return;
    }
    if (isUnavailableError(exception)) {
      // A dependency is down: the client may retry; the cause goes to the log, not to the client.
      this.platform.log.warn({ err: errorMessage(exception), path: req.path }, 'dependency unavailable');
      res.setHeader('Retry-After', String(this.platform.app.settings.RETRY_AFTER_SECONDS));
      res.status(503).json({ error: 'unavailable', message: 'a service this request needs is unavailable; retry shortly' });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? String((response as { message: unknown }).message)
          : exception.message;
      res.status(status).json({ error: codeForStatus(status), message });
      return;
    }
    // Body-parser style errors carry their own 4xx status (malformed JSON, body too large).
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: codeForStatus(status), message: errorMessage(exception) });
      return;
    }
    this.platform.log.error({ err: exception, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'internal error' });
  }
}
