import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import {
  AppError,
  DocumentError,
  errorMessage,
  type BlobStore,
  type InputKind,
  type JobOptions,
  type JobCursor,
  type JobRecord,
  type JobStore,
  type PageContent,
  type PageRecord,
  type PageTask,
  type TaskBus,
} from '@ocr/domain';
import { buildJobView, JobTotals, pageView, type JobView, type PageView } from './job-view';
import type { PageProcessor } from './page-processor';
import { jobBlobPrefixes, pageContentKey, sourceKey } from './blob-keys';
import { SharedLocalCopies } from './shared-local-copies';

/** A finished job whose pages are read one at a time (see JobService.pagedView). */
export interface PagedJobView {
  /** The job's id, known without reading any page. */
  readonly uuid: string;
  /** Every job-wide field, with `pages` empty (gathered in one pass over the pages when asked). */
  view(): Promise<JobView>;
  /** The pages in index order, each read from storage as it is reached. */
  pages(): AsyncIterable<PageView>;
}

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
  /** `pages=`: the upload's 1-based page numbers to read (pageCount of them); absent: all. */
  sourcePages?: number[] | null;
  /** Where the outcome is POSTed when the job finishes (checked by the caller). */
  callbackUrl?: string | null;
}

/**
 * Told when a job's pages stop changing (it finished, or it was deleted), so metering can charge
 * the done pages and release the rest. Kept an interface: jobs know nothing of plans or credits.
 */
export interface JobSettlement {
  settle(job: JobRecord): Promise<void>;
}

/**
 * Told what happens to pages and jobs, for metrics and webhooks. Called after the store has the
 * outcome; an observer that throws is logged and does not affect the job.
 */
export interface JobObserver {
  /** A page reached an outcome; `retried` means it failed and was queued again. `seconds`: the attempt's time. */
  pageOutcome?(job: JobRecord, outcome: 'done' | 'failed' | 'retried', seconds: number | null): void;
  /** The job is done or failed (once per job). */
  jobFinished?(job: JobRecord): void | Promise<void>;
}

const FINISHED = new Set(['done', 'failed']);

/** What became of a task's page, for whoever announces it (the cluster's page events). */
export interface PageTaskResult {
  outcome: 'done' | 'failed';
  /** The job has every page's outcome and is finished (by this process or another). */
  finished: boolean;
}

/** Where the pages go in the compact job JSON: its top-level `pages` key, written empty. */
const PAGES_SLOT = '"pages":[]';
/** Keys a page view adds after the stored content's (see pageView), and those it must find there. */
const VIEW_KEYS = ['index', 'status', 'error', 'engine_ms', 'source_page', 'timings'];
const SPLICE_KEYS = ['text', 'markdown', 'blocks'];

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
  private readonly observers: JobObserver[] = [];
  /** The sources pages are read from: one local copy per document for the pages read together. */
  private readonly sources: SharedLocalCopies;

  constructor(
    private readonly store: JobStore,
    private readonly blobs: BlobStore,
    private readonly bus: TaskBus,
    private readonly limits: JobServiceLimits,
    private readonly log: JobLogger,
    private readonly settlement: JobSettlement | null = null,
  ) {
    this.events.setMaxListeners(0);
    this.sources = new SharedLocalCopies(blobs);
  }

  async create(input: NewJob): Promise<JobRecord> {
    const uuid = input.uuid ?? randomUUID();
    await this.blobs.putFile(sourceKey(uuid), input.uploadPath);
    return this.createStaged({ ...input, uuid });
  }

  /**
   * A job whose upload is already in the blob store under `sourceKey(uuid)` (put there by the
   * edge that received it, so the upload crosses no service boundary as a message).
   */
  async createStaged(input: Omit<NewJob, 'uploadPath'> & { uuid: string }): Promise<JobRecord> {
    const uuid = input.uuid;
    const key = sourceKey(uuid);
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
      ...(input.sourcePages ? { source_pages: input.sourcePages } : {}),
      ...(input.callbackUrl ? { callback_url: input.callbackUrl } : {}),
    };
    // The bus gets ready to publish (Kafka: where the workers are idle) while the job is written.
    const busReady = this.bus.prepare?.();
    await this.store.insertJob(job);
    await busReady;
    // No page record is written before a page is taken: a page without one is pending (the view,
    // resume and processPage all read it so), and a 500-page job would otherwise begin with 500
    // writes before its first page is read.
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

  /**
   * The TaskBus handler: processes one page, never throws. `job`: the record the caller read
   * moments ago (a worker checking the tier), so it is not read again. The result says what became
   * of the page (null: nothing, e.g. the page was done already or is queued again).
   */
  handleTask = async (task: PageTask, processor: PageProcessor, job?: JobRecord): Promise<PageTaskResult | null> => {
    try {
      return await this.processPage(task, processor, job);
    } catch (err) {
      this.log.error({ job: task.job_uuid, page: task.index, err: errorMessage(err) }, 'page task crashed');
      return null;
    }
  };

  private async processPage(task: PageTask, processor: PageProcessor, read?: JobRecord): Promise<PageTaskResult | null> {
    const job = read ?? (await this.store.getJob(task.job_uuid));
    if (!job || FINISHED.has(job.status) || !job.upload_key) return null;
    const page = (await this.store.getPage(job.uuid, task.index)) ?? emptyPage(job.uuid, task.index);
    if (FINISHED.has(page.status)) return null;
    if (page.attempts >= this.limits.pageMaxAttempts) {
      return this.failPage(job, page, 'page could not be processed (interrupted too many times)');
    }
    const attempt: PageRecord = { ...page, status: 'processing', attempts: page.attempts + 1 };
    // The upload comes from the blob store while the attempt is recorded (in the cluster both are
    // network round trips on every page's path).
    const download = this.sources.localPath(job.upload_key);
    // Its failure is the page's (awaited below); until then it must not count as unhandled.
    download.catch(() => undefined);
    try {
      await this.store.putPage(attempt);
      if (job.status === 'pending') await this.store.updateJob(job.uuid, { status: 'processing', started_at: nowIso() });
    } catch (err) {
      void download.then((local) => local.release(), () => undefined);
      throw err;
    }

    const started = performance.now();
    let content: PageContent;
    try {
      const local = await download;
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
      // `cause`: a tool's own words (poppler, libtiff), for operators; the page's error is the user's message.
      const cause = err instanceof Error && typeof err.cause === 'string' ? err.cause : undefined;
      this.log.warn({ job: job.uuid, page: task.index, err: errorMessage(err), cause, retryable }, 'page failed');
      const seconds = (performance.now() - started) / 1000;
      if (retryable) {
        await this.store.putPage({ ...attempt, status: 'pending', error: errorMessage(err) });
        await this.bus.publish(task);
        this.notify((o) => o.pageOutcome?.(job, 'retried', seconds));
        return null;
      }
      // A document error says what to do; anything else (an engine that stopped, a decoder's own
      // words) stays in the log above, and the user reads what they can act on.
      const reason =
        err instanceof AppError
          ? err.message
          : `page ${task.index + 1} could not be read (the reader stopped on it); if the file is damaged, save it again and upload the new file`;
      return this.failPage(job, attempt, reason, seconds);
    }
    const engineMs = Math.round(performance.now() - started);
    const contentKey = pageContentKey(job.uuid, task.index);
    // Timings live on the page record (the job store), not in the content blob: `store_ms` is only
    // known once the blob is written.
    const { timings, ...stored } = content;
    const storeStarted = performance.now();
    await this.blobs.put(contentKey, Buffer.from(JSON.stringify(stored)));
    const storeMs = Math.round(performance.now() - storeStarted);
    await this.store.putPage({
      ...attempt,
      status: 'done',
      error: null,
      content_key: contentKey,
      engine_ms: engineMs,
      ...(timings ? { timings: { ...timings, store_ms: storeMs } } : {}),
      finished_at: nowIso(),
    });
    const updated = await this.store.recordPageOutcome(job.uuid, task.index, 'done');
    if (!updated) {
      // The job was deleted while its page was being read (recording found no job): leave nothing behind.
      await this.store.deletePages(job.uuid);
      await this.blobs.delete(contentKey);
      return null;
    }
    this.events.emit(pageChanged(job.uuid));
    this.notify((o) => o.pageOutcome?.(job, 'done', engineMs / 1000));
    return { outcome: 'done', finished: await this.finishIfComplete(updated) };
  }

  private async failPage(job: JobRecord, page: PageRecord, reason: string, seconds: number | null = null): Promise<PageTaskResult | null> {
    await this.store.putPage({ ...page, status: 'failed', error: reason, finished_at: nowIso() });
    const updated = await this.store.recordPageOutcome(job.uuid, page.index, 'failed');
    if (!updated) {
      await this.store.deletePages(job.uuid);
      return null;
    }
    this.events.emit(pageChanged(job.uuid));
    this.notify((o) => o.pageOutcome?.(job, 'failed', seconds));
    return { outcome: 'failed', finished: await this.finishIfComplete(updated) };
  }

  /**
   * When every page has an outcome: the job is done if any page succeeded, failed otherwise.
   * Two last pages can both see the job complete (counts are derived, not claimed), so finishing
   * runs once at a time per job here and each step is idempotent across processes.
   */
  private finishIfComplete(job: JobRecord): Promise<boolean> {
    // Nothing to finish yet: no read, no queue.
    if (!FINISHED.has(job.status) && job.pages_done + job.pages_failed < job.page_count) return Promise.resolve(false);
    const previous = this.finishing.get(job.uuid);
    // The record was read just now; after another finish in this process it is read again.
    const next = previous
      ? previous.catch(() => undefined).then(() => this.finishNow(job.uuid))
      : this.finishNow(job.uuid, job);
    // The entry only orders later finishes; its failure is the caller's to see, not the map's.
    this.finishing.set(job.uuid, next.then(() => undefined, () => undefined));
    const entry = this.finishing.get(job.uuid);
    void next.finally(() => {
      if (this.finishing.get(job.uuid) === entry) this.finishing.delete(job.uuid);
    }).catch(() => undefined);
    return next;
  }

  /** Finishes the job if every page has an outcome; true when the job is finished (now or before). */
  private async finishNow(uuid: string, read?: JobRecord): Promise<boolean> {
    const job = read ?? (await this.store.getJob(uuid));
    if (!job) return false;
    if (FINISHED.has(job.status)) return true;
    if (job.pages_done + job.pages_failed < job.page_count) return false;
    let error: string | null = null;
    if (job.pages_done === 0) {
      const pages = await this.store.listPages(job.uuid);
      const reasons = [...new Set(pages.map((p) => p.error).filter((e): e is string => !!e))];
      error = reasons.length > 0 ? reasons.join('; ') : 'no page could be processed';
    }
    // Uploads are staged where the job keeps its source; only a job staged by an earlier version moves.
    if (job.upload_key && job.upload_key !== sourceKey(job.uuid)) await this.retireUpload(job.uuid, job.upload_key);
    const finished = await this.store.updateJob(job.uuid, {
      status: job.pages_done > 0 ? 'done' : 'failed',
      error,
      upload_key: null,
      finished_at: nowIso(),
    });
    this.log.info({ job: job.uuid, status: finished?.status, failed_pages: job.pages_failed }, 'job finished');
    await this.settle(finished ?? job);
    this.events.emit(job.uuid);
    this.events.emit(pageChanged(job.uuid));
    if (finished) this.notify((o) => o.jobFinished?.(finished));
    return finished !== null;
  }

  /**
   * A job an earlier version staged under `uploads/` moves its upload to where jobs keep their
   * source (the searchable PDF needs the original pages until the job is deleted or purged).
   */
  private async retireUpload(uuid: string, key: string): Promise<void> {
    /** Another process finishing the same job (each step is idempotent) may have retired it already. */
    const retired = async (): Promise<boolean> => !(await this.blobs.exists(key)) && (await this.blobs.exists(sourceKey(uuid)));
    try {
      if (this.blobs.copy) {
        // A copy inside the store (S3): the upload is not downloaded and sent back up.
        await this.blobs.copy(key, sourceKey(uuid));
      } else {
        if (await retired()) return;
        const local = await this.blobs.localPath(key);
        try {
          await this.blobs.putFile(sourceKey(uuid), local.path);
        } finally {
          await local.release();
        }
      }
    } catch (err) {
      if (await retired()) return;
      throw err;
    }
    await this.blobs.delete(key);
  }

  /** The original document: the upload while the job is read, then its kept source while the job is kept. */
  async sourceOf(job: JobRecord): Promise<{ path: string; release: () => Promise<void> } | null> {
    const key = sourceKey(job.uuid);
    if (await this.blobs.exists(key)) return this.blobs.localPath(key);
    return job.upload_key && (await this.blobs.exists(job.upload_key)) ? this.blobs.localPath(job.upload_key) : null;
  }

  /** Resolves when the job is finished or the wait is over, whichever comes first. */
  async waitUntilFinished(uuid: string, timeoutMs: number): Promise<void> {
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
      // Read once the subscription is in place, so a finish just before it is not missed.
      check();
    });
  }

  /**
   * Resolves when one of the job's pages finishes (in this process), the job finishes or is
   * deleted, or after `ms`, or when `signal` aborts. Workers in other processes are only seen by
   * re-reading the store, which is why callers bound the wait.
   */
  async waitForChange(uuid: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off(pageChanged(uuid), done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.events.on(pageChanged(uuid), done);
      signal?.addEventListener('abort', done);
    });
  }

  /** The job as stored now (null once deleted), without an owner check: callers checked it before. */
  async current(uuid: string): Promise<JobRecord | null> {
    return this.store.getJob(uuid);
  }

  async pages(uuid: string): Promise<PageRecord[]> {
    return this.store.listPages(uuid);
  }

  /** One finished page's content, or null while it is not done. */
  async pageContent(job: JobRecord, index: number): Promise<{ page: PageRecord; content: PageContent } | null> {
    const page = await this.store.getPage(job.uuid, index);
    if (!page || page.status !== 'done' || !page.content_key) return null;
    return { page, content: JSON.parse((await this.blobs.get(page.content_key)).toString('utf8')) as PageContent };
  }

  /** The owner's jobs, newest first; `more` says whether another page follows the last one. */
  async listOwned(owner: string, limit: number, after?: JobCursor): Promise<{ jobs: JobRecord[]; more: boolean }> {
    const jobs = await this.store.listJobsByOwner(owner, limit + 1, after);
    return { jobs: jobs.slice(0, limit), more: jobs.length > limit };
  }

  /** Wakes the waiters of a job finished elsewhere (a page event from another process). */
  notifyFinished(uuid: string): void {
    this.events.emit(uuid);
    this.events.emit(pageChanged(uuid));
  }

  /** The job if `owner` may see it; another owner's job is indistinguishable from a missing one. */
  async getOwned(uuid: string, owner: string): Promise<JobRecord> {
    const job = isUuid(uuid) ? await this.store.getJob(uuid) : null;
    if (!job || job.owner !== owner) throw new AppError('not_found', `no job ${uuid}`);
    return job;
  }

  /**
   * The owner's job as the API shows it. The job and its page records are read side by side (in
   * the cluster each is a round trip on the path of every inline answer); another owner's pages
   * are dropped unseen.
   */
  async viewOwned(uuid: string, owner: string): Promise<JobView> {
    if (!isUuid(uuid)) throw new AppError('not_found', `no job ${uuid}`);
    const [job, records] = await Promise.all([this.store.getJob(uuid), this.store.listPages(uuid)]);
    if (!job || job.owner !== owner) throw new AppError('not_found', `no job ${uuid}`);
    // Pages read just before the job's last page was recorded would show a finished job with a page
    // still open: they are read again (a finished job's page records never change after it).
    const settled = !FINISHED.has(job.status) || (records.length === job.page_count && records.every((r) => FINISHED.has(r.status)));
    return this.view(job, settled ? records : undefined);
  }

  /**
   * The job as the API shows it. Page contents are read only once the job is finished (as the job's
   * own `text` and `markdown` are): a client polling a 500-page job would otherwise have every done
   * page read, parsed and serialised again at each poll, the whole document many times over.
   */
  async view(job: JobRecord, records?: PageRecord[]): Promise<JobView> {
    const pages = await this.pagesOf(job, records);
    const contents = new Map<number, PageContent>();
    if (!FINISHED.has(job.status)) return buildJobView(job, pages, contents);
    await Promise.all(
      pages.map(async (p) => {
        const content = await this.readContent(job, p);
        if (content) contents.set(p.index, content);
      }),
    );
    return buildJobView(job, pages, contents);
  }

  observe(observer: JobObserver): void {
    this.observers.push(observer);
  }

  private notify(call: (o: JobObserver) => void | Promise<void> | undefined): void {
    for (const observer of this.observers) {
      try {
        void Promise.resolve(call(observer)).catch((err: unknown) => this.log.error({ err: errorMessage(err) }, 'job observer failed'));
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'job observer failed');
      }
    }
  }

  /**
   * The finished job for exports that write page by page: the view without its pages (its totals
   * gathered in one pass over them, each page read and dropped) and its pages one at a time, so a
   * long document is never held whole.
   */
  async pagedView(job: JobRecord): Promise<PagedJobView> {
    const records = await this.pagesOf(job);
    const pages = () => this.readPages(job, records);
    // Only formats that print job-wide fields pay for the pass that gathers them.
    const view = async () => {
      const totals = new JobTotals();
      for await (const page of pages()) totals.add(page);
      return totals.view(job, []);
    };
    return { uuid: job.uuid, view, pages };
  }

  /**
   * The finished job's JSON, exactly as `JSON.stringify(await view(job))` writes it, in pieces: one
   * pass reads each page for the job-wide fields, a second writes the pages one by one, each
   * stored page's JSON spliced in as it is (not parsed and printed again). A 500-page job is never
   * held whole, and its first bytes leave before its last page is read.
   */
  async *viewJson(job: JobRecord): AsyncGenerator<string> {
    const records = await this.pagesOf(job);
    const totals = new JobTotals();
    const spliceable = new Set<number>();
    for (const record of records) {
      const content = await this.readContent(job, record);
      totals.add(pageView(record, content, job));
      if (content && SPLICE_KEYS.every((k) => k in content) && !VIEW_KEYS.some((k) => k in content)) spliceable.add(record.index);
    }
    const outline = JSON.stringify(totals.view(job, []));
    const slot = outline.indexOf(PAGES_SLOT);
    yield `${outline.slice(0, slot)}"pages":[`;
    for (const [i, record] of records.entries()) {
      yield (i === 0 ? '' : ',') + (await this.pageJson(job, record, spliceable.has(record.index)));
    }
    yield `]${outline.slice(slot + PAGES_SLOT.length)}`;
  }

  /** One page of the view as JSON; a stored page whose keys the view does not override is spliced in. */
  private async pageJson(job: JobRecord, record: PageRecord, splice: boolean): Promise<string> {
    const own = pageView(record, null, job);
    if (splice && record.content_key) {
      const raw = await this.blobs
        .get(record.content_key)
        .then((b) => b.toString('utf8').trim())
        .catch(() => null);
      if (raw?.startsWith('{') && raw.endsWith('}') && raw.length > 2) {
        const tail = { index: own.index, status: own.status, error: own.error, engine_ms: own.engine_ms, source_page: own.source_page, timings: own.timings };
        return `${raw.slice(0, -1)},${JSON.stringify(tail).slice(1)}`;
      }
    }
    return JSON.stringify(pageView(record, await this.readContent(job, record), job));
  }

  /** Every page of the job in order; a page not yet taken has no record and shows as pending. */
  private async pagesOf(job: JobRecord, read?: PageRecord[]): Promise<PageRecord[]> {
    const records = read ?? (await this.store.listPages(job.uuid));
    if (records.length === job.page_count) return records;
    const byIndex = new Map(records.map((r) => [r.index, r]));
    return range(job.page_count).map((index) => byIndex.get(index) ?? emptyPage(job.uuid, index));
  }

  private async *readPages(job: JobRecord, records: PageRecord[]): AsyncGenerator<PageView> {
    for (const record of records) yield pageView(record, await this.readContent(job, record), job);
  }

  private async readContent(job: JobRecord, page: PageRecord): Promise<PageContent | null> {
    if (page.status !== 'done' || !page.content_key) return null;
    try {
      return JSON.parse((await this.blobs.get(page.content_key)).toString('utf8')) as PageContent;
    } catch (err) {
      this.log.error({ job: job.uuid, page: page.index, err: errorMessage(err) }, 'page content unreadable');
      return null;
    }
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
    this.events.emit(pageChanged(job.uuid));
  }

  /** Deletes finished jobs older than the retention period, with their files. */
  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    const expired = await this.store.listFinishedBefore(cutoff.toISOString());
    for (const job of expired) await this.delete(job);
    if (expired.length > 0) this.log.info({ jobs: expired.length }, 'expired jobs purged');
    return expired.length;
  }
}

/** The event name for "a page of this job changed"; the bare uuid means "finished or deleted". */
function pageChanged(uuid: string): string {
  return `page:${uuid}`;
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
