import type { JobRecord, JobStatus, PageStatus } from '@ocr/domain';
import type { JobService } from './job-service';

/** What an event stream reads: the job service in this process, or ingest's views over gRPC. */
export type JobEventSource = Pick<JobService, 'current' | 'waitForChange'> & {
  pages(uuid: string): Promise<Array<{ index: number; status: PageStatus; error: string | null }>>;
};

/** What a job's event stream says: each page as it finishes, then how the job ended. */
export type JobEvent =
  | { type: 'page'; data: { index: number; status: PageStatus; error: string | null; pages_done: number; pages_failed: number; page_count: number } }
  | { type: 'done' | 'failed'; data: { uuid: string; status: JobStatus; pages_done: number; pages_failed: number; page_count: number; error: string | null } };

const FINISHED: ReadonlySet<string> = new Set(['done', 'failed']);

function ending(job: JobRecord | null, uuid: string): JobEvent {
  if (!job) {
    return { type: 'failed', data: { uuid, status: 'failed', pages_done: 0, pages_failed: 0, page_count: 0, error: 'the job was deleted' } };
  }
  return {
    type: job.status === 'done' ? 'done' : 'failed',
    data: { uuid, status: job.status, pages_done: job.pages_done, pages_failed: job.pages_failed, page_count: job.page_count, error: job.error },
  };
}

/**
 * The events of one job, from the pages already finished when the stream opens to its end. It
 * re-reads the job store on every change seen in this process and at least every `pollMs`, so
 * pages read by workers in other processes (the cluster shape) are reported too.
 */
export async function* jobEvents(jobs: JobEventSource, uuid: string, opts: { pollMs: number; signal: AbortSignal }): AsyncGenerator<JobEvent> {
  const reported = new Set<number>();
  while (!opts.signal.aborted) {
    const job = await jobs.current(uuid);
    if (!job) {
      yield ending(null, uuid);
      return;
    }
    const pages = await jobs.pages(uuid);
    for (const page of pages) {
      if (!FINISHED.has(page.status) || reported.has(page.index)) continue;
      reported.add(page.index);
      yield {
        type: 'page',
        data: { index: page.index, status: page.status, error: page.error, pages_done: job.pages_done, pages_failed: job.pages_failed, page_count: job.page_count },
      };
    }
    if (FINISHED.has(job.status)) {
      yield ending(job, uuid);
      return;
    }
    await jobs.waitForChange(uuid, opts.pollMs, opts.signal);
  }
}
