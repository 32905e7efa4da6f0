import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import type { JobCursor, JobRecord, JobStore, PageRecord } from '@ocr/domain';

type Stored<T> = T & { _id?: string };

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
  ) {
    // Append-only files grow with every update; compact hourly so restarts stay fast. Our own
    // unref'd timer, not NeDB's, so an idle store never keeps the process alive.
    this.compaction = setInterval(() => {
      void Promise.all([jobs.compactDatafileAsync(), pages.compactDatafileAsync()]).catch(() => undefined);
    }, 3_600_000);
    this.compaction.unref();
  }

  static async open(dir: string): Promise<NedbJobStore> {
    await mkdir(dir, { recursive: true });
    const jobs = new Datastore<JobRecord>({ filename: join(dir, 'jobs.db') });
    const pages = new Datastore<PageRecord>({ filename: join(dir, 'pages.db') });
    await Promise.all([jobs.loadDatabaseAsync(), pages.loadDatabaseAsync()]);
    await jobs.ensureIndexAsync({ fieldName: 'uuid', unique: true });
    await jobs.ensureIndexAsync({ fieldName: 'status' });
    await jobs.ensureIndexAsync({ fieldName: 'owner' });
    await pages.ensureIndexAsync({ fieldName: 'job_uuid' });
    return new NedbJobStore(jobs, pages);
  }

  async insertJob(job: JobRecord): Promise<void> {
    await this.jobs.insertAsync({ ...job });
  }

  async getJob(uuid: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findOneAsync({ uuid });
    return doc ? strip(doc) : null;
  }

  async updateJob(uuid: string, patch: Partial<Omit<JobRecord, 'uuid'>>): Promise<JobRecord | null> {
    const { affectedDocuments } = await this.jobs.updateAsync({ uuid }, { $set: patch }, { returnUpdatedDocs: true });
    return affectedDocuments ? strip(affectedDocuments) : null;
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

  async countPageOutcome(jobUuid: string, outcome: 'done' | 'failed'): Promise<JobRecord | null> {
    const field = outcome === 'done' ? 'pages_done' : 'pages_failed';
    const { affectedDocuments } = await this.jobs.updateAsync(
      { uuid: jobUuid },
      { $inc: { [field]: 1 } },
      { returnUpdatedDocs: true },
    );
    return affectedDocuments ? strip(affectedDocuments) : null;
  }

  async deletePages(jobUuid: string): Promise<void> {
    await this.pages.removeAsync({ job_uuid: jobUuid }, { multi: true });
  }

  async listUnfinishedJobs(): Promise<JobRecord[]> {
    const docs = await this.jobs.findAsync({ status: { $in: ['pending', 'processing'] } }).sort({ created_at: 1 });
    return docs.map((d) => strip(d));
  }

  async listFinishedBefore(isoTime: string): Promise<JobRecord[]> {
    const docs = await this.jobs.findAsync({
      status: { $in: ['done', 'failed'] },
      finished_at: { $lt: isoTime },
    });
    return docs.map((d) => strip(d));
  }

  async listJobsByOwner(owner: string, limit: number, after?: JobCursor): Promise<JobRecord[]> {
    const query = after
      ? { owner, $or: [{ created_at: { $lt: after.created_at } }, { created_at: after.created_at, uuid: { $lt: after.uuid } }] }
      : { owner };
    const docs = await this.jobs.findAsync(query).sort({ created_at: -1, uuid: -1 }).limit(limit);
    return docs.map((d) => strip(d));
  }

  async close(): Promise<void> {
    clearInterval(this.compaction);
    await Promise.all([this.jobs.compactDatafileAsync(), this.pages.compactDatafileAsync()]);
  }
}
