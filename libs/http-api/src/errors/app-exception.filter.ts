import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Response, Request } from 'express';
import { AppError, errorMessage, isUnavailableError } from '@ocr/domain';
import { PLATFORM, type Platform } from '../platform';
import { codeForStatus, errorBody } from './error-body';
import { allowedMethods } from './allowed-methods';

/** The one place where failures become HTTP responses: always JSON, 5xx only for our own bugs. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (exception instanceof AppError) {
      const retryAfter = exception.details['retry_after'];
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      else if (exception.code === 'unavailable') res.setHeader('Retry-After', String(this.platform.settings.RETRY_AFTER_SECONDS));
      res.status(exception.status).json(errorBody(exception));
      return;
    }
    if (isUnavailableError(exception)) {
      // A dependency is down: the client may retry; the cause goes to the log, not to the client.
      this.platform.log.warn({ err: errorMessage(exception), path: req.path }, 'dependency unavailable');
      res.setHeader('Retry-After', String(this.platform.settings.RETRY_AFTER_SECONDS));
      res.status(503).json({ error: 'unavailable', message: 'a service this request needs is unavailable; retry shortly' });
      return;
    }
    // No route for this method: if the path has routes for others, it is a 405 with Allow.
    if (exception instanceof NotFoundException && exception.message.startsWith(`Cannot ${req.method} `)) {
      const allowed = allowedMethods(this.adapterHost.httpAdapter.getInstance(), req.path);
      if (allowed.length > 0) {
        res
          .status(405)
          .setHeader('Allow', allowed.join(', '))
          .json({ error: 'method_not_allowed', message: `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`, allowed });
        return;
      }
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
    const { status, type } = exception as { status?: unknown; type?: unknown };

    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: codeForStatus(status, type), message: errorMessage(exception) });
      return;
    }
    this.platform.log.error({ err: exception, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'internal error' });
  }
}
