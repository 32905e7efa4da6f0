import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PLATFORM, type Platform } from '../platform';
import { scrapeRefusal } from './scrape-access';

/** Prometheus scrape endpoint; off with METRICS_ENABLED=false, behind METRICS_TOKEN when set. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { settings, metrics } = this.platform;
    const refusal = scrapeRefusal(settings, req);
    if (refusal) throw refusal;
    res.status(200).type(metrics.contentType).send(await metrics.text());
  }
}
