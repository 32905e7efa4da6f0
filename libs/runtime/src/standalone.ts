import { mkdir } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import type { Settings } from '@ocr/config';
import { AddressPolicy, WebhookDispatcher } from '@ocr/jobs';
import { ExportService } from '@ocr/export';
import { intakeLimits, PageImages } from '@ocr/page-worker';
import { createHttpApp, listen, PlatformMetrics, type Platform } from '@ocr/http-api';
import { blobStaging, createAppServices, inProcessChat, inProcessExports, inProcessIngest, inProcessMetering } from '@ocr/app';
import { createChatService, openPageEngines } from './engines';
import { closeMongoConnections, openPorts } from './ports';
import { createJobService } from './job-service';
import { createLogger } from './logger';
import { openAccountsFor } from './accounts';
import { sweepLeftovers } from './leftovers';

export interface RunningPlatform {
  port: number;
  app: INestApplication;
  stop: () => Promise<void>;
}

/** Every service of the platform in one process, on the embedded adapters. */
export async function startStandalone(settings: Settings): Promise<RunningPlatform> {
  const log = createLogger(settings, 'standalone');
  await mkdir(settings.dataDir, { recursive: true });
  await sweepLeftovers(settings.dataDir, log);
  const ports = await openPorts(settings);
  const accounts = await openAccountsFor(settings);
  const metering = settings.METERING ? accounts.meter : null;
  const jobs = createJobService(settings, ports, log, metering);
  const engines = await openPageEngines(settings, log);
  const { pool, processor, languages, tessdata, scratch, models } = engines;
  jobs.onDelete((uuid) => ports.chatStore.delete(uuid));
  const chat = createChatService(settings, ports.chatStore, models, log);

  const metrics = new PlatformMetrics(() => ports.taskBus.pending ?? null);
  const callbackPolicy = AddressPolicy.parse(settings.WEBHOOK_ALLOWED_ADDRESSES);
  const webhooks = new WebhookDispatcher(
    ports.jobStore,
    async (owner) => (owner.startsWith('acct:') ? accounts.accounts.webhookSecret(owner.slice('acct:'.length)) : null),
    callbackPolicy,
    {
      timeoutMs: settings.WEBHOOK_TIMEOUT_SECONDS * 1000,
      retryInitialMs: settings.WEBHOOK_RETRY_INITIAL_MS,
      retryMaxDelayMs: settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS * 1000,
      retryForMs: settings.WEBHOOK_RETRY_FOR_SECONDS * 1000,
    },
    log,
  );
  jobs.observe({
    pageOutcome: (job, outcome, seconds) => metrics.page(job.options.tier, outcome, seconds),
    jobFinished: (job) => webhooks.jobFinished(job),
  });
  pool.onRestart((reason) => metrics.engineRestarted(reason));

  const pageImages = new PageImages(jobs, ports.blobStore, intakeLimits(settings), scratch);
  const exports = new ExportService(ports.blobStore, jobs, scratch, { tessdataDir: tessdata, limits: intakeLimits(settings) });
  const ai = { visionConfigured: engines.vlmConfigured, translationConfigured: engines.translationConfigured };
  const platform: Platform = {
    settings,
    app: createAppServices({
      settings,
      languages,
      plans: accounts.plans,
      ai,
      identity: accounts.tokens,
      accounts: accounts.accounts,
      metering: metering ? inProcessMetering(metering, accounts.plans) : null,
      ingest: inProcessIngest(jobs),
      staging: blobStaging(ports.blobStore),
      exports: inProcessExports(exports, jobs, pageImages),
      chat: inProcessChat(chat, jobs),
    }),
    languages,
    engineName: () => pool.engineName,
    log,
    plans: accounts.plans,
    ai,
    metrics,
    local: {
      jobs,
      tokens: accounts.tokens,
      exports,
      pageImages,
      accounts: accounts.accounts,
      metering,
      chat,
      callbackPolicy,
    },
  };
  const app = await createHttpApp(platform);
  const port = await listen(app, settings.PORT, settings.HOST, settings.HTTP_KEEP_ALIVE_SECONDS);

  await ports.taskBus.consume((task) => jobs.handleTask(task, processor), settings.ocrWorkers);
  const resumed = await jobs.resume();
  const webhooksResumed = await webhooks.resume();
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
      webhooks_resumed: webhooksResumed,
      models: { vision: models.modelFor('vision') || null, chat: models.modelFor('chat') || null, translate: models.modelFor('translate') || null },
    },
    'standalone ready',
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(sweep);
      webhooks.close();
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
