import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { JobService, type JobSettlement } from '@ocr/jobs';
import type { Ports } from './ports';

/** Builds the job service on top of the ports; shared by every app that drives jobs. */
export function createJobService(
  settings: Settings,
  ports: Ports,
  log: Logger,
  settlement: JobSettlement | null = null,
  waitPollMs?: number,
): JobService {
  return new JobService(
    ports.jobStore,
    ports.blobStore,
    ports.taskBus,
    {
      pageTimeoutMs: settings.PAGE_TIMEOUT_SECONDS * 1000,
      pageMaxAttempts: settings.PAGE_MAX_ATTEMPTS,
      inlinePageLimit: settings.INLINE_PAGE_LIMIT,
      ...(waitPollMs === undefined ? {} : { waitPollMs }),
    },
    log,
    settlement,
  );
}
