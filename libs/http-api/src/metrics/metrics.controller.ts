import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@ocr/domain';
import { PLATFORM, type Platform } from '../platform';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Prometheus scrape endpoint; off with METRICS_ENABLED=false, behind METRICS_TOKEN when set. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { settings, metrics } = this.platform;
    if (!settings.METRICS_ENABLED) throw new AppError('not_found', 'metrics are off on this server (METRICS_ENABLED=false)');
    if (settings.METRICS_TOKEN !== '') {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, settings.METRICS_TOKEN)) throw new AppError('unauthorized', 'metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    res.status(200).type(metrics.contentType).send(await metrics.text());
  }
}
