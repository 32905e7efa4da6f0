import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import type { PageTask, Tier } from '@ocr/domain';
import { closeMongoConnections, openPageEvents, openPorts } from '../ports';
import { openPageEngines } from '../engines';
import { answers, authBillingClient, portOptions, checkAll, serveProbes, type RunningService } from './common';
import { clusterJobService, NO_JOB, retryingSettlement } from './jobs';
import type { PageTaskResult } from '@ocr/jobs';
import { PlatformMetrics } from '@ocr/http-api';

/**
 * cpu-ocr / vlm-ocr: consumes page tasks (each tier its own consumer group, so both see every task
 * and each reads only its tier's pages), reads the page, writes its result and counts its outcome
 * in the shared job store (idempotent by job and page: a redelivered page counts once), and the
 * last page of a job finishes it and has auth-billing charge it.
 */
export async function startOcrWorker(tier: Tier, settings: Settings, log: Logger): Promise<RunningService> {
  const service = `${tier}-ocr`;
  const ports = await openPorts(settings, portOptions(service, log));
  const events = await openPageEvents(settings, portOptions(service, log));
  const billing = authBillingClient(settings);
  const jobs = clusterJobService(settings, ports, log, settings.METERING ? retryingSettlement(billing, log) : null);
  const engines = await openPageEngines(settings, log);
  // Pages and engine restarts are counted where they happen: each worker is scraped on its own.
  const metrics = new PlatformMetrics(() => null);
  jobs.observe({ pageOutcome: (job, outcome, seconds) => metrics.page(job.options.tier, outcome, seconds) });
  engines.pool.onRestart((reason) => metrics.engineRestarted(reason));
  let inFlight = 0;
  let stopping = false;
  const handle = async (task: PageTask): Promise<void> => {
    const job = await ports.jobStore.getJob(task.job_uuid);
    if (!job || job.options.tier !== tier) return;
    inFlight++;
    try {
      // The record just read goes along: the job service does not read it again.
      const result = (await jobs.handleTask(task, engines.processor, job)) ?? (await storedOutcome(task));
      if (result) await announce(task, { ...result, webhook: Boolean(job.callback_url) });
    } finally {
      inFlight--;
    }
  };
  /**
   * A page the job service did nothing with (redelivered after a worker died between recording it
   * and announcing it): its outcome as stored, so ingest still hears of it (and of a finished job,
   * whose webhook goes out from there). Null while the page is open (queued again).
   */
  const storedOutcome = async (task: PageTask): Promise<PageTaskResult | null> => {
    const page = await ports.jobStore.getPage(task.job_uuid, task.index);
    if (!page || (page.status !== 'done' && page.status !== 'failed')) return null;
    const current = await ports.jobStore.getJob(task.job_uuid);
    return { outcome: page.status, finished: !current || current.status === 'done' || current.status === 'failed' };
  };
  /**
   * The page's outcome, and whether it finished its job, to ingest (a notification: the store holds
   * the truth). The job service says both: nothing is read back from the store for it.
   */
  const announce = async (task: PageTask, result: PageTaskResult & { webhook: boolean }): Promise<void> => {
    if (!events) return;
    await events.publish({ job_uuid: task.job_uuid, index: task.index, ...result }).catch((err: unknown) => {
      log.warn({ err, job_uuid: task.job_uuid }, 'page event not published; ingest will see the job on its next read');
    });
  };
  await ports.taskBus.consume(handle, settings.ocrWorkers);
  const probes = await serveProbes(settings, log, () =>
    checkAll({
      job_store: () => answers(() => ports.jobStore.getJob(NO_JOB)),
      blob_store: () => answers(() => ports.blobStore.exists(`uploads/${NO_JOB}`)),
      engine: async () => !stopping && engines.pool.engineName !== null,
    }),
    metrics,
  );
  log.info({ tier, workers: settings.ocrWorkers, engine: engines.pool.engineName }, 'taking page tasks');
  return {
    port: probes.port,
    grpcPort: null,
    stop: async () => {
      stopping = true;
      // Stop taking tasks; the page in hand finishes (its offset is committed) or, past the grace
      // period, the process exits without committing it and the broker hands it to another worker.
      await ports.taskBus.close();
      const deadline = Date.now() + settings.SHUTDOWN_GRACE_SECONDS * 1000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await probes.app.close();
      await engines.pool.close();
      await events?.close();
      await ports.jobStore.close();
      await ports.chatStore.close();
      await closeMongoConnections();
      billing.close();
    },
  };
}
