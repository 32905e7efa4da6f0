import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { AppError, errorMessage, type JobRecord } from '@ocr/domain';
import { JobService, type JobSettlement } from '@ocr/jobs';
import type { MeteringApi } from '@ocr/app';
import type { Ports } from '../ports';
import { createJobService } from '../job-service';

/**
 * Settling a finished job asks auth-billing; while it is unreachable the settlement is retried in
 * the background (settle is idempotent there), so a short outage neither blocks the page worker nor
 * leaves the job's credits held for good.
 */
export function retryingSettlement(metering: MeteringApi, log: Logger, giveUpMs = 15 * 60_000): JobSettlement {
  const attempt = (job: JobRecord, started: number, delay: number): void => {
    setTimeout(() => {
      metering.settle(job).then(
        () => log.info({ job_uuid: job.uuid }, 'settled after retry'),
        (err: unknown) => {
          if (Date.now() - started > giveUpMs) log.error({ job_uuid: job.uuid, err: errorMessage(err) }, 'settlement abandoned');
          else attempt(job, started, Math.min(delay * 2, 30_000));
        },
      );
    }, delay).unref();
  };
  return {
    settle: async (job) => {
      try {
        await metering.settle(job);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'unavailable')) throw err;
        log.warn({ job_uuid: job.uuid }, 'auth-billing unavailable; settlement will be retried');
        attempt(job, Date.now(), 1000);
      }
    },
  };
}

/** The job service over the shared stores: waiters re-read jobs that other processes finish. */
export function clusterJobService(settings: Settings, ports: Ports, log: Logger, settlement: JobSettlement | null): JobService {
  return createJobService(settings, ports, log, settlement, settings.JOB_WAIT_POLL_MS);
}

/** A read that touches the job store and the blob store: both answer, or the service is not ready. */
export const NO_JOB = '00000000-0000-4000-8000-000000000000';
