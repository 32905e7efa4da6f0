import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import type { JobRecord, JobStore, PageRecord } from '@ocr/domain';

type Stored<T> = T & { _id?: string };

/** One page's recorded outcome; `key` is `<job>:<page>` under a unique index. */
interface Outcome {
  key: string;
  job_uuid: string;
  outcome: 'done' | 'failed';
}

function strip<T extends object>(doc: Stored<T>): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}

/**
 * The embedded JobStore: NeDB files under DATA_DIR/db. Each write is appended to the file
 * before the promise resolves, so a crash loses at most the write in flight.
 */
export class NedbJobStore implements JobStore {
  private readonly compaction: NodeJS.Timeout;

  private constructor(
    private readonly jobs: Datastore<JobRecord>,
    private readonly pages: Datastore<PageRecord>,
    private readonly outcomes: Datastore<Outcome>,
  ) {
    // Append-only files grow with every update; compact hourly so restarts stay fast. Our own
    // unref'd timer, not NeDB's, so an idle store never keeps the process alive.
    this.compaction = setInterval(() => {
      void Promise.all([jobs.compactDatafileAsync(), pages.compactDatafileAsync(), outcomes.compactDatafileAsync()]).catch(
        () => undefined,
      );
    }, 3_600_000);
    this.compaction.unref();
  }

  static async open(dir: string): Promise<NedbJobStore> {
    await mkdir(dir, { recursive: true });
    const jobs = new Datastore<JobRecord>({ filename: join(dir, 'jobs.db') });
    const pages = new Datastore<PageRecord>({ filename: join(dir, 'pages.db') });
    const outcomes = new Datastore<Outcome>({ filename: join(dir, 'outcomes.db') });
    await Promise.all([jobs.loadDatabaseAsync(), pages.loadDatabaseAsync(), outcomes.loadDatabaseAsync()]);
    await jobs.ensureIndexAsync({ fieldName: 'uuid', unique: true });
    await jobs.ensureIndexAsync({ fieldName: 'status' });
    await pages.ensureIndexAsync({ fieldName: 'job_uuid' });
    await outcomes.ensureIndexAsync({ fieldName: 'key', unique: true });
    await outcomes.ensureIndexAsync({ fieldName: 'job_uuid' });
    return new NedbJobStore(jobs, pages, outcomes);
  }

  /**
   * The job with its counts, counted from the recorded outcomes (in memory: NeDB indexes job_uuid).
   * Jobs written before outcomes were recorded kept their counters on the job; new jobs store 0
   * there, so the sum is right for both.
   */
  private async withCounts(doc: Stored<JobRecord>): Promise<JobRecord> {
    const [done, failed] = await Promise.all([
      this.outcomes.countAsync({ job_uuid: doc.uuid, outcome: 'done' }),
      this.outcomes.countAsync({ job_uuid: doc.uuid, outcome: 'failed' }),
    ]);
    return { ...strip(doc), pages_done: (doc.pages_done ?? 0) + done, pages_failed: (doc.pages_failed ?? 0) + failed };
  }

  async insertJob(job: JobRecord): Promise<void> {
    await this.jobs.insertAsync({ ...job, pages_done: 0, pages_failed: 0 });
  }

  async getJob(uuid: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findOneAsync({ uuid });
    return doc ? this.withCounts(doc) : null;
  }

  async updateJob(uuid: string, patch: Partial<Omit<JobRecord, 'uuid'>>): Promise<JobRecord | null> {
    // The counts are derived from the outcomes: a patch cannot set them.
    const { pages_done: _done, pages_failed: _failed, ...fields } = patch;
    const { affectedDocuments } = await this.jobs.updateAsync({ uuid }, { $set: fields }, { returnUpdatedDocs: true });
    return affectedDocuments ? this.withCounts(affectedDocuments) : null;
  }

  async deleteJob(uuid: string): Promise<void> {
    await this.jobs.removeAsync({ uuid }, { multi: false });
  }

  async putPage(page: PageRecord): Promise<void> {
    await this.pages.updateAsync({ job_uuid: page.job_uuid, index: page.index }, { ...page }, { upsert: true });
  }

  async getPage(jobUuid: string, index: number): Promise<PageRecord | null> {
    const doc = await this.pages.findOneAsync({ job_uuid: jobUuid, index });
    return doc ? strip(doc) : null;
  }

  async listPages(jobUuid: string): Promise<PageRecord[]> {
    const docs = await this.pages.findAsync({ job_uuid: jobUuid }).sort({ index: 1 });
    return docs.map((d) => strip(d));
  }

  async recordPageOutcome(jobUuid: string, index: number, outcome: 'done' | 'failed'): Promise<JobRecord | null> {
    if (!(await this.jobs.findOneAsync({ uuid: jobUuid }))) return null;
    try {
      await this.outcomes.insertAsync({ key: `${jobUuid}:${index}`, job_uuid: jobUuid, outcome });
    } catch (err) {
      // Recorded before (a redelivered page): it counted then, it does not count again.
      if ((err as { errorType?: unknown }).errorType === 'uniqueViolated') return this.getJob(jobUuid);
      throw err;
    }
    return this.getJob(jobUuid);
  }

  async deletePages(jobUuid: string): Promise<void> {
    await this.pages.removeAsync({ job_uuid: jobUuid }, { multi: true });
    await this.outcomes.removeAsync({ job_uuid: jobUuid }, { multi: true });
  }

  async listUnfinishedJobs(): Promise<JobRecord[]> {
    const docs = await this.jobs.findAsync({ status: { $in: ['pending', 'processing'] } }).sort({ created_at: 1 });
    return Promise.all(docs.map((d) => this.withCounts(d)));
  }

  async listFinishedBefore(isoTime: string): Promise<JobRecord[]> {
    const docs = await this.jobs.findAsync({
      status: { $in: ['done', 'failed'] },
      finished_at: { $lt: isoTime },
    });
    return Promise.all(docs.map((d) => this.withCounts(d)));
  }

  async close(): Promise<void> {
    clearInterval(this.compaction);
    await Promise.all([this.jobs.compactDatafileAsync(), this.pages.compactDatafileAsync(), this.outcomes.compactDatafileAsync()]);
  }
}
