import 'reflect-metadata';
import { Controller, Get, Inject, Module, Res, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { PinoNestLogger } from './http-server';

/** Whether each dependency of a service answers now. */
export type Readiness = () => Promise<Record<string, boolean>>;

const READINESS = Symbol('READINESS');

/** The probes every cluster service answers over HTTP: alive, and ready (its dependencies answer). */
@Controller()
class ProbeController {
  constructor(@Inject(READINESS) private readonly readiness: Readiness) {}

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
  static register(readiness: Readiness): DynamicModule {
    return { module: ProbeModule, controllers: [ProbeController], providers: [{ provide: READINESS, useValue: readiness }] };
  }
}

/** A service's probe app (Nest over Express), its logs through the service's pino. */
export function createProbeApp(readiness: Readiness, log: Logger): Promise<INestApplication> {
  return NestFactory.create(ProbeModule.register(readiness), { logger: new PinoNestLogger(log) });
}
