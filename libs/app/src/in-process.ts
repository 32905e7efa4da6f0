import type { BlobStore } from '@ocr/domain';
import type { MeteringService, Plans } from '@ocr/accounts';
import { listJobs, sourceKey, viewInLanguage, type JobService } from '@ocr/jobs';
import { exporterFor, type ExportService } from '@ocr/export';
import type { ChatService } from '@ocr/ai';
import type { PageImages } from '@ocr/page-worker';
import { AppError } from '@ocr/domain';
import type { ChatApi, ExportApi, IngestApi, MeteringApi, UploadStaging } from './services';

/**
 * The service interfaces bound to the libraries in this process: what the standalone shape runs,
 * and what each cluster service puts behind its gRPC server.
 */

export function inProcessIngest(jobs: JobService): IngestApi {
  return {
    create: (job) => jobs.createStaged(job),
    getOwned: (uuid, owner) => jobs.getOwned(uuid, owner),
    viewOwned: (uuid, owner) => jobs.viewOwned(uuid, owner),
    list: ({ owner, ...opts }) => listJobs(jobs, owner, opts),
    delete: (job) => jobs.delete(job),
    waitUntilFinished: (uuid, timeoutMs) => jobs.waitUntilFinished(uuid, timeoutMs),
  };
}

/** Plans are resolved here, by name, from the settings of the process that owns the ledger. */
export function inProcessMetering(meter: MeteringService, plans: Plans): MeteringApi {
  return {
    reserve: (req) => meter.reserve({ ...req, plan: plans[req.plan] }),
    settle: (job) => meter.settle(job),
    isHeld: async (uuid) => meter.isHeld(uuid),
    allowance: (owner, plan) => meter.allowance(owner, plans[plan]),
    usage: (owner) => meter.usage(owner),
    jobsOf: (owner) => meter.jobsOf(owner),
  };
}

export function inProcessExports(exports: ExportService, jobs: Pick<JobService, 'view'>, images: Pick<PageImages, 'get'> | null = null): ExportApi {
  return {
    pageImage: async (job, index) => {
      if (!images) throw new AppError('not_implemented', 'page images are not served by this process', { feature: 'page images' });
      return images.get(job, index);
    },
    // The translation is substituted before any exporter runs, so every format comes in it.
    open: (job, format, lang, query) =>
      exports.open(job, async () => viewInLanguage(await jobs.view(job), lang ?? undefined), exporterFor(format), query),
  };
}

export function inProcessChat(chat: ChatService, jobs: Pick<JobService, 'view'>): ChatApi {
  return {
    ask: async (job, message) => chat.ask(job, await jobs.view(job), message),
    history: (job) => chat.history(job),
  };
}

/** Uploads go into the blob store under the job's upload key (a rename on the local store). */
export function blobStaging(blobs: BlobStore): UploadStaging {
  return {
    stage: (uuid, path) => blobs.putFile(sourceKey(uuid), path),
    discard: (uuid) => blobs.delete(sourceKey(uuid)),
  };
}
