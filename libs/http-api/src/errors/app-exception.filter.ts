import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Response, Request } from 'express';
import { AppError, errorMessage } from '@ocr/domain';
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
      res.status(exception.status).json(errorBody(exception));
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
