import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import {
  AppError,
  DocumentError,
  errorMessage,
  type BlobStore,
  type InputKind,
  type JobOptions,
  type JobRecord,
  type JobStore,
  type PageContent,
  type PageRecord,
  type PageTask,
  type TaskBus,
} from '@ocr/domain';
import { buildJobView, type JobView } from './job-view';
import type { PageProcessor } from './page-processor';
import { uploadKey, jobBlobPrefixes, pageContentKey, sourceKey } from './blob-keys';

export interface JobServiceLimits {
  pageTimeoutMs: number;
  pageMaxAttempts: number;
  inlinePageLimit: number;
  /**
   * When another process finishes jobs (the cluster's OCR workers), waiters also re-read the job
   * this often; the in-process event stays the fast path. Unset: events only (standalone).
   */
  waitPollMs?: number;
}

export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NewJob {
  owner: string;
  options: JobOptions;
  kind: InputKind;
  pageCount: number;
  /** A local file holding the upload; it is moved into the blob store. */
  uploadPath: string;
  originalFilename: string | null;
  warnings: string[];
  /** Chosen by the caller when something (a page reservation) must name the job before it exists. */
  uuid?: string;
  /** The owner's plan priority: lower is taken first from the task bus. */
  planPriority?: number;
}

/**
 * Told when a job's pages stop changing (it finished, or it was deleted), so metering can charge
 * the done pages and release the rest. Kept an interface: jobs know nothing of plans or credits.
 */
export interface JobSettlement {
  settle(job: JobRecord): Promise<void>;
}

const FINISHED = new Set(['done', 'failed']);

function nowIso(): string {
  return new Date().toISOString();
}

/** A promise that rejects after `ms`, so a stuck page cannot hold its worker forever. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DocumentError(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The job state machine: pending -> processing -> done | failed, driven page by page.
 * Every step is idempotent by (job, page): a redelivered task for a finished page does nothing.
 */
export class JobService {
  private readonly events = new EventEmitter();
  /** What else belongs to a job outside the job store and its blobs (chat history), deleted with it. */
  private readonly deleteHooks: Array<(uuid: string) => Promise<void>> = [];
  /** Jobs being finished in this process, so two last pages finish a job one after the other. */
  private readonly finishing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: JobStore,
    private readonly blobs: BlobStore,
    private readonly bus: TaskBus,
    private readonly limits: JobServiceLimits,
    private readonly log: JobLogger,
    private readonly settlement: JobSettlement | null = null,
  ) {
    this.events.setMaxListeners(0);
  }

  async create(input: NewJob): Promise<JobRecord> {
    const uuid = input.uuid ?? randomUUID();
    await this.blobs.putFile(uploadKey(uuid), input.uploadPath);
    return this.createStaged({ ...input, uuid });
  }

  /**
   * A job whose upload is already in the blob store under `uploadKey(uuid)` (put there by the
   * edge that received it, so the upload crosses no service boundary as a message).
   */
  async createStaged(input: Omit<NewJob, 'uploadPath'> & { uuid: string }): Promise<JobRecord> {
    const uuid = input.uuid;
    const key = uploadKey(uuid);
    const job: JobRecord = {
      uuid,
      owner: input.owner,
      status: 'pending',
      options: input.options,
      input_kind: input.kind,
      upload_key: key,
      original_filename: input.originalFilename,
      page_count: input.pageCount,
      pages_done: 0,
      pages_failed: 0,
      error: null,
      warnings: input.warnings,
      created_at: nowIso(),
      started_at: null,
      finished_at: null,
      ...(input.planPriority === undefined ? {} : { plan_priority: input.planPriority }),
    };
    await this.store.insertJob(job);
    for (let index = 0; index < input.pageCount; index++) {
      await this.store.putPage(emptyPage(uuid, index));
    }
    await this.publishPages(job, range(input.pageCount));
    this.log.info({ job: uuid, pages: input.pageCount, kind: input.kind }, 'job created');
    return job;
  }

  /**
   * Higher plans first (paid before free before anonymous), and within a plan small jobs jump
   * ahead of large batches, so an inline request is not stuck behind them.
   */
  private priorityOf(job: JobRecord): number {
    return (job.plan_priority ?? 0) * 2 + (job.page_count <= this.limits.inlinePageLimit ? 0 : 1);
  }

  private async settle(job: JobRecord): Promise<void> {
    if (!this.settlement) return;
    try {
      await this.settlement.settle(job);
    } catch (err) {
      this.log.error({ job: job.uuid, err: errorMessage(err) }, 'settling the job\'s pages failed');
    }
  }

  private async publishPages(job: JobRecord, indexes: number[]): Promise<void> {
    const priority = this.priorityOf(job);
    for (const index of indexes) await this.bus.publish({ job_uuid: job.uuid, index, priority });
  }

  /** Re-queues every page that a previous process left unfinished. */
  async resume(): Promise<number> {
    const jobs = await this.store.listUnfinishedJobs();
    let resumed = 0;
    for (const job of jobs) {
      const pages = await this.store.listPages(job.uuid);
      // A crash between writing the job and its page records leaves pages with no record: open too.
      const finished = new Set(pages.filter((p) => FINISHED.has(p.status)).map((p) => p.index));
      const open = range(job.page_count).filter((i) => !finished.has(i));
      if (open.length === 0) {
        await this.finishIfComplete(job);
        continue;
      }
      await this.publishPages(job, open);
      resumed += open.length;
      this.log.info({ job: job.uuid, pages: open.length }, 'job resumed');
    }
    return resumed;
  }

  /** The TaskBus handler: processes one page, never throws. */
  handleTask = async (task: PageTask, processor: PageProcessor): Promise<void> => {
    try {
      await this.processPage(task, processor);
    } catch (err) {
      this.log.error({ job: task.job_uuid, page: task.index, err: errorMessage(err) }, 'page task crashed');
    }
  };

  private async processPage(task: PageTask, processor: PageProcessor): Promise<void> {
    const job = await this.store.getJob(task.job_uuid);
    if (!job || FINISHED.has(job.status) || !job.upload_key) return;
    const page = (await this.store.getPage(job.uuid, task.index)) ?? emptyPage(job.uuid, task.index);
    if (FINISHED.has(page.status)) return;
    if (page.attempts >= this.limits.pageMaxAttempts) {
      await this.failPage(job, page, 'page could not be processed (interrupted too many times)');
      return;
    }
    const attempt: PageRecord = { ...page, status: 'processing', attempts: page.attempts + 1 };
    await this.store.putPage(attempt);
    if (job.status === 'pending') await this.store.updateJob(job.uuid, { status: 'processing', started_at: nowIso() });

    const started = performance.now();
    let content: PageContent;
    try {
      const local = await this.blobs.localPath(job.upload_key);
      try {
        content = await withTimeout(
          processor.process(job, task.index, local.path),
          this.limits.pageTimeoutMs,
          `page ${task.index + 1} took longer than ${Math.round(this.limits.pageTimeoutMs / 1000)} s (PAGE_TIMEOUT_SECONDS)`,
        );
      } finally {
        await local.release();
      }
    } catch (err) {
      const retryable = !(err instanceof AppError) && attempt.attempts < this.limits.pageMaxAttempts;
      this.log.warn({ job: job.uuid, page: task.index, err: errorMessage(err), retryable }, 'page failed');
      if (retryable) {
        await this.store.putPage({ ...attempt, status: 'pending', error: errorMessage(err) });
        await this.bus.publish(task);
        return;
      }
      await this.failPage(job, attempt, errorMessage(err));
      return;
    }
    const engineMs = Math.round(performance.now() - started);
    const contentKey = pageContentKey(job.uuid, task.index);
    // The job may have been deleted while its page was being read: leave nothing behind.
    if (!(await this.store.getJob(job.uuid))) {
      await this.store.deletePages(job.uuid);
      return;
    }
    await this.blobs.put(contentKey, Buffer.from(JSON.stringify(content)));
    await this.store.putPage({
      ...attempt,
      status: 'done',
      error: null,
      content_key: contentKey,
      engine_ms: engineMs,
      finished_at: nowIso(),
    });
    const updated = await this.store.recordPageOutcome(job.uuid, task.index, 'done');
    if (updated) await this.finishIfComplete(updated);
  }

  private async failPage(job: JobRecord, page: PageRecord, reason: string): Promise<void> {
    await this.store.putPage({ ...page, status: 'failed', error: reason, finished_at: nowIso() });
    const updated = await this.store.recordPageOutcome(job.uuid, page.index, 'failed');
    if (updated) await this.finishIfComplete(updated);
  }

  /**
   * When every page has an outcome: the job is done if any page succeeded, failed otherwise.
   * Two last pages can both see the job complete (counts are derived, not claimed), so finishing
   * runs once at a time per job here and each step is idempotent across processes.
   */
  private finishIfComplete(job: JobRecord): Promise<void> {
    const previous = this.finishing.get(job.uuid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.finishNow(job.uuid));
    this.finishing.set(job.uuid, next);
    void next.finally(() => {
      if (this.finishing.get(job.uuid) === next) this.finishing.delete(job.uuid);
    }).catch(() => undefined);
    return next;
  }

  private async finishNow(uuid: string): Promise<void> {
    const job = await this.store.getJob(uuid);
    if (!job || FINISHED.has(job.status) || job.pages_done + job.pages_failed < job.page_count) return;
    let error: string | null = null;
    if (job.pages_done === 0) {
      const pages = await this.store.listPages(job.uuid);
      const reasons = [...new Set(pages.map((p) => p.error).filter((e): e is string => !!e))];
      error = reasons.length > 0 ? reasons.join('; ') : 'no page could be processed';
    }
    if (job.upload_key) await this.retireUpload(job.uuid, job.upload_key);
    const finished = await this.store.updateJob(job.uuid, {
      status: job.pages_done > 0 ? 'done' : 'failed',
      error,
      upload_key: null,
      finished_at: nowIso(),
    });
    this.log.info({ job: job.uuid, status: finished?.status, failed_pages: job.pages_failed }, 'job finished');
    await this.settle(finished ?? job);
    this.events.emit(job.uuid);
  }

  /**
   * The upload leaves the intake area once processed; the searchable PDF still needs the original
   * pages, so it is kept as the job's source until the job is deleted or purged.
   */
  private async retireUpload(uuid: string, key: string): Promise<void> {
    // Another process finishing the same job may have retired it already.
    if (!(await this.blobs.exists(key)) && (await this.blobs.exists(sourceKey(uuid)))) return;
    const local = await this.blobs.localPath(key);
    try {
      await this.blobs.putFile(sourceKey(uuid), local.path);
    } finally {
      await local.release();
    }
    await this.blobs.delete(key);
  }

  /** The original document of a finished job, while the job is kept. */
  async sourceOf(job: JobRecord): Promise<{ path: string; release: () => Promise<void> } | null> {
    const key = sourceKey(job.uuid);
    return (await this.blobs.exists(key)) ? this.blobs.localPath(key) : null;
  }

  /** Resolves when the job is finished or the wait is over, whichever comes first. */
  async waitUntilFinished(uuid: string, timeoutMs: number): Promise<void> {
    const job = await this.store.getJob(uuid);
    if (!job || FINISHED.has(job.status)) return;
    await new Promise<void>((resolve) => {
      let over = false;
      let ticker: NodeJS.Timeout | undefined;
      const done = () => {
        over = true;
        clearTimeout(timer);
        clearTimeout(ticker);
        this.events.off(uuid, done);
        resolve();
      };
      const check = () =>
        void this.store.getJob(uuid).then(
          (j) => (!j || FINISHED.has(j.status) ? done() : poll()),
          () => poll(),
        );
      const poll = () => {
        if (!over && this.limits.waitPollMs) ticker = setTimeout(check, this.limits.waitPollMs);
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.on(uuid, done);
      // The job may have finished between the read above and the subscription.
      check();
    });
  }

  /** Wakes the waiters of a job finished elsewhere (a page event from another process). */
  notifyFinished(uuid: string): void {
    this.events.emit(uuid);
  }

  /** The job if `owner` may see it; another owner's job is indistinguishable from a missing one. */
  async getOwned(uuid: string, owner: string): Promise<JobRecord> {
    const job = isUuid(uuid) ? await this.store.getJob(uuid) : null;
    if (!job || job.owner !== owner) throw new AppError('not_found', `no job ${uuid}`);
    return job;
  }

  async view(job: JobRecord): Promise<JobView> {
    const pages = await this.store.listPages(job.uuid);
    const contents = new Map<number, PageContent>();
    await Promise.all(
      pages.map(async (p) => {
        if (p.status !== 'done' || !p.content_key) return;
        try {
          contents.set(p.index, JSON.parse((await this.blobs.get(p.content_key)).toString('utf8')) as PageContent);
        } catch (err) {
          this.log.error({ job: job.uuid, page: p.index, err: errorMessage(err) }, 'page content unreadable');
        }
      }),
    );
    return buildJobView(job, pages, contents);
  }

  onDelete(hook: (uuid: string) => Promise<void>): void {
    this.deleteHooks.push(hook);
  }

  async delete(job: JobRecord): Promise<void> {
    // Pages done so far are charged, the rest released (a no-op for a job already finished).
    await this.settle((await this.store.getJob(job.uuid)) ?? job);
    await this.store.deleteJob(job.uuid);
    await this.store.deletePages(job.uuid);
    for (const prefix of jobBlobPrefixes(job.uuid)) await this.blobs.deletePrefix(prefix);
    for (const hook of this.deleteHooks) await hook(job.uuid);
    this.events.emit(job.uuid);
  }

  /** Deletes finished jobs older than the retention period, with their files. */
  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    const expired = await this.store.listFinishedBefore(cutoff.toISOString());
    for (const job of expired) await this.delete(job);
    if (expired.length > 0) this.log.info({ jobs: expired.length }, 'expired jobs purged');
    return expired.length;
  }
}

function emptyPage(jobUuid: string, index: number): PageRecord {
  return {
    job_uuid: jobUuid,
    index,
    status: 'pending',
    attempts: 0,
    error: null,
    content_key: null,
    engine_ms: null,
    finished_at: null,
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
