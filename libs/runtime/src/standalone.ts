import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { JobService, type JobSettlement } from '@ocr/jobs';
import { ExportService } from '@ocr/export';
import { createEnginePool, listLanguages, resolveTessdataDir } from '@ocr/ocr';
import { intakeLimits, OcrPageProcessor } from '@ocr/page-worker';
import { createHttpApp, listen, type Platform } from '@ocr/http-api';
import { blobStaging, createAppServices, inProcessChat, inProcessExports, inProcessIngest, inProcessMetering } from '@ocr/app';
import { ChatService, ModelClient, modelConfig, TranslatingPageProcessor, Translator, VlmEngine } from '@ocr/ai';
import type { PageProcessor } from '@ocr/jobs';
import { openPorts, type Ports } from './ports';
import { createLogger } from './logger';
import { openAccounts } from './accounts';

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
  const accounts = openAccounts(settings);
  const metering = settings.METERING ? accounts.meter : null;
  const jobs = createJobService(settings, ports, log, metering);
  const pool = await createEnginePool(settings);
  const tessdata = resolveTessdataDir(settings);
  const languages = listLanguages(tessdata);
  const scratch = join(settings.dataDir, 'scratch');
  await mkdir(scratch, { recursive: true });
  const models = new ModelClient(modelConfig(settings), log);
  const vlm = new VlmEngine(models, settings.VLM_MAX_IMAGE_SIDE);
  const translator = new Translator(models);
  const ocrProcessor = new OcrPageProcessor(pool, languages, tessdata, settings, scratch, vlm.configured ? {
    engine: vlm,
    settings: { fallback: settings.VLM_PAGE_FALLBACK },
  } : null);
  // The translate step wraps recognition, page by page (tool=translate jobs only).
  const processor: PageProcessor = new TranslatingPageProcessor(ocrProcessor, translator, settings.PAGE_TIMEOUT_SECONDS * 1000);
  jobs.onDelete((uuid) => ports.chatStore.delete(uuid));
  const chat = new ChatService(
    ports.chatStore,
    models,
    {
      chunkChars: settings.CHAT_CHUNK_CHARS,
      topK: settings.CHAT_TOP_K,
      historyMessages: settings.CHAT_HISTORY_MESSAGES,
      extractiveSentences: settings.CHAT_EXTRACTIVE_SENTENCES,
    },
    log,
  );

  const exports = new ExportService(ports.blobStore, jobs, scratch, { tessdataDir: tessdata, limits: intakeLimits(settings) });
  const platform: Platform = {
    app: createAppServices({
      settings,
      languages,
      plans: accounts.plans,
      ai: { visionConfigured: vlm.configured, translationConfigured: translator.configured },
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
    })());
  return { port, app, stop };
}
