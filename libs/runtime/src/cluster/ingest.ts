import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { inProcessIngest } from '@ocr/app';
import { AddressPolicy, WebhookDispatcher } from '@ocr/jobs';
import { ingestHandlers } from '@ocr/transport-grpc';
import { closePorts, openPageEvents, openPorts } from '../ports';
import { answers, portOptions, authBillingClient, checkAll, serveGrpcService, type RunningService } from './common';
import { clusterJobService, NO_JOB, retryingSettlement } from './jobs';

/**
 * ingest: creates jobs (the upload is staged in the object store by the gateway), publishes their
 * page tasks, answers job reads and waits, deletes jobs, sweeps expired ones. Pages are read by the
 * OCR workers, which write their outcomes to the shared job store.
 */
export async function startIngest(settings: Settings, log: Logger): Promise<RunningService> {
  const ports = await openPorts(settings, portOptions('ingest', log));
  const billing = authBillingClient(settings);
  const jobs = clusterJobService(settings, ports, log, settings.METERING ? retryingSettlement(billing, log) : null);
  jobs.onDelete((uuid) => ports.chatStore.delete(uuid));
  // Webhooks (callback_url) go out from here, signed with the account's secret from auth-billing.
  const webhooks = new WebhookDispatcher(
    ports.jobStore,
    async (owner) => (owner.startsWith('acct:') ? billing.webhookSecret(owner.slice('acct:'.length)) : null),
    AddressPolicy.parse(settings.WEBHOOK_ALLOWED_ADDRESSES),
    {
      timeoutMs: settings.WEBHOOK_TIMEOUT_SECONDS * 1000,
      retryInitialMs: settings.WEBHOOK_RETRY_INITIAL_MS,
      retryMaxDelayMs: settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS * 1000,
      retryForMs: settings.WEBHOOK_RETRY_FOR_SECONDS * 1000,
    },
    log,
  );
  // A worker's page event wakes the waiters of a finished job at once (they also re-read the job
  // every JOB_WAIT_POLL_MS, so a lost event costs a poll interval, never an answer).
  const events = await openPageEvents(settings, portOptions('ingest', log));
  await events?.subscribe(async (event) => {
    if (!event.finished) return;
    jobs.notifyFinished(event.job_uuid);
    // A job without a callback_url is not read again: that read would sit beside the waiting
    // client's own reads of the job.
    if (event.webhook === false) return;
    // The worker finished the job; its webhook (if any) is sent from here. A lost event is
    // caught up by webhooks.resume() when ingest starts.
    const job = await jobs.current(event.job_uuid);
    if (job?.callback_url) await webhooks.jobFinished(job).catch((err: unknown) => log.error({ job: job.uuid, err }, 'webhook start failed'));
  });
  const service = await serveGrpcService(
    settings,
    log,
    (server) => server.add('Ingest', ingestHandlers(inProcessIngest(jobs), log)),
    () =>
      checkAll({
        job_store: () => answers(() => ports.jobStore.getJob(NO_JOB)),
        blob_store: () => answers(() => ports.blobStore.exists(`uploads/${NO_JOB}`)),
        auth_billing: () => billing.grpc.ready(2000),
      }),
    async () => {
      await events?.close();
      await closePorts(ports);
      billing.close();
    },
  );
  // Pages a crash left unpublished are published again (the workers skip pages already done).
  const resumed = await jobs.resume();
  if (resumed > 0) log.info({ pages: resumed }, 'unfinished pages published again');
  const webhooksResumed = await webhooks.resume();
  if (webhooksResumed > 0) log.info({ webhooks: webhooksResumed }, 'webhook deliveries resumed');
  const sweep = setInterval(() => {
    const cutoff = new Date(Date.now() - settings.RETENTION_HOURS * 3_600_000);
    void jobs.purgeFinishedBefore(cutoff).catch((err: unknown) => log.error({ err }, 'retention sweep failed'));
  }, settings.RETENTION_SWEEP_SECONDS * 1000);
  sweep.unref();
  return {
    ...service,
    stop: async () => {
      clearInterval(sweep);
      webhooks.close();
      await service.stop();
    },
  };
}
