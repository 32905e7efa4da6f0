import { mkdir } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { JobService, type JobSettlement } from '@ocr/jobs';
import { ExportService } from '@ocr/export';
import { intakeLimits } from '@ocr/page-worker';
import { createHttpApp, listen, type Platform } from '@ocr/http-api';
import { blobStaging, createAppServices, inProcessChat, inProcessExports, inProcessIngest, inProcessMetering } from '@ocr/app';
import { createChatService, openPageEngines } from './engines';
import { closeMongoConnections, openPorts, type Ports } from './ports';
import { createLogger } from './logger';
import { openAccountsFor } from './accounts';

export interface RunningPlatform {
  port: number;
  app: INestApplication;
  stop: () => Promise<void>;
}

/** Builds the job service on top of the ports; shared by every app that drives jobs. */
export function createJobService(settings: Settings, ports: Ports, log: Logger, settlement: JobSettlement | null = null): JobService {
  return new JobService(
    ports.jobStore,
    ports.blobStore,
    ports.taskBus,
    {
      pageTimeoutMs: settings.PAGE_TIMEOUT_SECONDS * 1000,
      pageMaxAttempts: settings.PAGE_MAX_ATTEMPTS,
      inlinePageLimit: settings.INLINE_PAGE_LIMIT,
    },
    log,
    settlement,
  );
}

/** Every service of the platform in one process, on the embedded adapters. */
export async function startStandalone(settings: Settings): Promise<RunningPlatform> {
  const log = createLogger(settings, 'standalone');
  await mkdir(settings.dataDir, { recursive: true });
  const ports = await openPorts(settings);
  const accounts = await openAccountsFor(settings);
  const metering = settings.METERING ? accounts.meter : null;
  const jobs = createJobService(settings, ports, log, metering);
  const engines = await openPageEngines(settings, log);
  const { pool, processor, languages, tessdata, scratch, models } = engines;
  jobs.onDelete((uuid) => ports.chatStore.delete(uuid));
  const chat = createChatService(settings, ports.chatStore, models, log);

  const exports = new ExportService(ports.blobStore, jobs, scratch, { tessdataDir: tessdata, limits: intakeLimits(settings) });
  const platform: Platform = {
    app: createAppServices({
      settings,
      languages,
      plans: accounts.plans,
      ai: { visionConfigured: engines.vlmConfigured, translationConfigured: engines.translationConfigured },
      identity: accounts.tokens,
      accounts: accounts.accounts,
      metering: metering ? inProcessMetering(metering, accounts.plans) : null,
      ingest: inProcessIngest(jobs),
      staging: blobStaging(ports.blobStore),
      exports: inProcessExports(exports, jobs),
      chat: inProcessChat(chat, jobs),
    }),
    engineName: () => pool.engineName,
    log,
  };
  const app = await createHttpApp(platform);
  const port = await listen(app, settings.PORT, settings.HOST);

  await ports.taskBus.consume((task) => jobs.handleTask(task, processor), settings.ocrWorkers);
  const resumed = await jobs.resume();
  const sweep = setInterval(() => {
    const cutoff = new Date(Date.now() - settings.RETENTION_HOURS * 3_600_000);
    void jobs.purgeFinishedBefore(cutoff).catch((err: unknown) => log.error({ err }, 'retention sweep failed'));
  }, settings.RETENTION_SWEEP_SECONDS * 1000);
  sweep.unref();
  log.info(
    {
      port,
      workers: settings.ocrWorkers,
      engine: pool.engineName,
      languages: languages.length,
      resumed,
      models: { vision: models.modelFor('vision') || null, chat: models.modelFor('chat') || null, translate: models.modelFor('translate') || null },
    },
    'standalone ready',
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(sweep);
      await app.close();
      await ports.taskBus.close();
      await pool.close();
      await ports.jobStore.close();
      await accounts.meter.close();
      await ports.chatStore.close();
      await closeMongoConnections();
    })());
  return { port, app, stop };
}
