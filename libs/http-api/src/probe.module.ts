import 'reflect-metadata';
import { Controller, Get, Inject, Module, Req, Res, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { PinoNestLogger } from './http-server';
import { errorBody } from './errors/error-body';
import type { PlatformMetrics } from './metrics/platform-metrics';
import { scrapeRefusal, type ScrapeSettings } from './metrics/scrape-access';

/** Whether each dependency of a service answers now. */
export type Readiness = () => Promise<Record<string, boolean>>;

/** A service's own metrics and who may scrape them. */
export interface ProbeMetrics {
  metrics: PlatformMetrics;
  settings: ScrapeSettings;
}

const READINESS = Symbol('READINESS');
const METRICS = Symbol('METRICS');

/**
 * What every cluster service answers over HTTP: alive, ready (its dependencies answer), and its own
 * Prometheus metrics (each pod is scraped on its own: a worker's pages and engine restarts are
 * counted where they happen, not summed by the gateway).
 */
@Controller()
class ProbeController {
  constructor(
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(METRICS) private readonly metrics: ProbeMetrics,
  ) {}

  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const refusal = scrapeRefusal(this.metrics.settings, req);
    if (refusal) {
      res.status(refusal.status).json(errorBody(refusal));
      return;
    }
    res.status(200).type(this.metrics.metrics.contentType).send(await this.metrics.metrics.text());
  }

  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'unavailable'; dependencies: Record<string, boolean> }> {
    const dependencies = await this.readiness();
    const ready = Object.values(dependencies).every(Boolean);
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', dependencies };
  }
}

@Module({})
class ProbeModule {
  static register(readiness: Readiness, metrics: ProbeMetrics): DynamicModule {
    return {
      module: ProbeModule,
      controllers: [ProbeController],
      providers: [
        { provide: READINESS, useValue: readiness },
        { provide: METRICS, useValue: metrics },
      ],
    };
  }
}

/** A service's probe app (Nest over Express), its logs through the service's pino. */
export function createProbeApp(readiness: Readiness, metrics: ProbeMetrics, log: Logger): Promise<INestApplication> {
  return NestFactory.create(ProbeModule.register(readiness, metrics), { logger: new PinoNestLogger(log) });
}
