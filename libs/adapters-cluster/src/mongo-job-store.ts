import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { JobRecord, JobStore, PageRecord } from '@ocr/domain';
import { collectionOf, isDuplicateKey, withoutId } from './mongo';

type JobDoc = Omit<JobRecord, 'pages_done' | 'pages_failed'> & { _id: string };
type PageDoc = PageRecord & { _id: string };
interface OutcomeDoc {
  _id: string;
  job_uuid: string;
  outcome: 'done' | 'failed';
}

const pageId = (jobUuid: string, index: number): string => `${jobUuid}:${index}`;

/**
 * The cluster JobStore on MongoDB (or FerretDB, which speaks its protocol): `jobs`, `pages` and
 * `page_outcomes`. No write is a read-modify-write: FerretDB v1 loses concurrent `$inc` and
 * `findOneAndUpdate` claims, so a page's outcome is an insert keyed `<job>:<page>` (the `_id`,
 * unique everywhere) and a job's counts are counted from those inserts on every read.
 */
export class MongoJobStore implements JobStore {
  private constructor(
    private readonly jobs: Collection<JobDoc>,
    private readonly pages: Collection<PageDoc>,
    private readonly outcomes: Collection<OutcomeDoc>,
  ) {}

  static async open(conn: Connection): Promise<MongoJobStore> {
    const store = new MongoJobStore(
      collectionOf<JobDoc>(conn, 'jobs'),
      collectionOf<PageDoc>(conn, 'pages'),
      collectionOf<OutcomeDoc>(conn, 'page_outcomes'),
    );
    await store.jobs.createIndex({ status: 1 });
    await store.pages.createIndex({ job_uuid: 1 });
    await store.outcomes.createIndex({ job_uuid: 1 });
    return store;
  }

  /** Done and failed pages per job, counted from the recorded outcomes. */
  private async counts(uuids: string[]): Promise<Map<string, { done: number; failed: number }>> {
    const counts = new Map(uuids.map((u) => [u, { done: 0, failed: 0 }]));
    if (uuids.length === 0) return counts;
    const groups = await this.outcomes
      .aggregate<{ _id: { job: string; outcome: string }; n: number }>([
        { $match: { job_uuid: { $in: uuids } } },
        { $group: { _id: { job: '$job_uuid', outcome: '$outcome' }, n: { $sum: 1 } } },
      ])
      .toArray();
    for (const g of groups) {
      const c = counts.get(g._id.job);
      if (!c) continue;
      if (g._id.outcome === 'done') c.done = g.n;
      else if (g._id.outcome === 'failed') c.failed = g.n;
    }
    return counts;
  }

  private async withCounts(docs: JobDoc[]): Promise<JobRecord[]> {
    const counts = await this.counts(docs.map((d) => d._id));
    return docs.map((d) => {
      const c = counts.get(d._id) ?? { done: 0, failed: 0 };
      return { ...withoutId(d), uuid: d._id, pages_done: c.done, pages_failed: c.failed };
    });
  }

  async insertJob(job: JobRecord): Promise<void> {
    const { pages_done: _done, pages_failed: _failed, ...rest } = job;
    await this.jobs.insertOne({ ...rest, _id: job.uuid });
  }

  async getJob(uuid: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findOne({ _id: uuid });
    return doc ? ((await this.withCounts([doc]))[0] ?? null) : null;
  }

  async updateJob(uuid: string, patch: Partial<Omit<JobRecord, 'uuid'>>): Promise<JobRecord | null> {
    // The counts are derived from the outcomes: a patch cannot set them.
    const { pages_done: _done, pages_failed: _failed, ...fields } = patch;
    if (Object.keys(fields).length > 0) await this.jobs.updateOne({ _id: uuid }, { $set: fields });
    return this.getJob(uuid);
  }

  async deleteJob(uuid: string): Promise<void> {
    await this.jobs.deleteOne({ _id: uuid });
  }

  async putPage(page: PageRecord): Promise<void> {
    const _id = pageId(page.job_uuid, page.index);
    try {
      await this.pages.replaceOne({ _id }, { ...page }, { upsert: true });
    } catch (err) {
      // Two upserts of a new page raced and the other inserted it: now it exists, replace it.
      if (!isDuplicateKey(err)) throw err;
      await this.pages.replaceOne({ _id }, { ...page });
    }
  }

  async getPage(jobUuid: string, index: number): Promise<PageRecord | null> {
    const doc = await this.pages.findOne({ _id: pageId(jobUuid, index) });
    return doc ? withoutId(doc) : null;
  }

  async listPages(jobUuid: string): Promise<PageRecord[]> {
    const docs = await this.pages.find({ job_uuid: jobUuid }).toArray();
    return docs.map((d) => withoutId(d)).sort((a, b) => a.index - b.index);
  }

  async recordPageOutcome(jobUuid: string, index: number, outcome: 'done' | 'failed'): Promise<JobRecord | null> {
    if ((await this.jobs.countDocuments({ _id: jobUuid }, { limit: 1 })) === 0) return null;
    try {
      await this.outcomes.insertOne({ _id: pageId(jobUuid, index), job_uuid: jobUuid, outcome });
    } catch (err) {
      // Recorded before (a redelivered page, or two workers on one page): it counts once.
      if (!isDuplicateKey(err)) throw err;
    }
    return this.getJob(jobUuid);
  }

  async deletePages(jobUuid: string): Promise<void> {
    await this.pages.deleteMany({ job_uuid: jobUuid });
    await this.outcomes.deleteMany({ job_uuid: jobUuid });
  }

  async listUnfinishedJobs(): Promise<JobRecord[]> {
    const docs = await this.jobs.find({ status: { $in: ['pending', 'processing'] } }).sort({ created_at: 1 }).toArray();
    return this.withCounts(docs);
  }

  async listFinishedBefore(isoTime: string): Promise<JobRecord[]> {
    const docs = await this.jobs.find({ status: { $in: ['done', 'failed'] }, finished_at: { $lt: isoTime } }).toArray();
    return this.withCounts(docs);
  }

  /** The connection is shared by the process's stores: whoever opened it closes it. */
  async close(): Promise<void> {}
}
