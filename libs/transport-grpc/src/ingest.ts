import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { InputKind, JobRecord, Tier } from '@ocr/domain';
import type { JobListing, JobView } from '@ocr/jobs';
import { runWithContext, type IngestApi, type JobListRequest, type StagedJob } from '@ocr/app';
import { GrpcClient, type ClientSettings } from './client';
import { unary, type ServerLogger } from './server';

interface CreateMsg {
  uuid: string;
  owner: string;
  options: { tier: string; language: string; tool?: string; translate_to?: string };
  input_kind: string;
  page_count: number;
  original_filename?: string;
  warnings: string[];
  plan_priority?: number;
  source_pages?: number[];
  callback_url?: string;
}
interface ListMsg {
  owner: string;
  limit: number;
  cursor?: string;
  retention_hours: number;
}
interface JobRef {
  uuid: string;
  owner: string;
}
interface Json {
  json: string;
}

const parseJob = (m: Json): JobRecord => JSON.parse(m.json) as JobRecord;

/** The Ingest service's handlers over this process's job service. */
export function ingestHandlers(ingest: IngestApi, log: ServerLogger): UntypedServiceImplementation {
  const h = <Req, Res>(fn: (req: Req) => Promise<Res>) => unary<Req, Res>(log, fn);
  return {
    CreateJob: h(async (r: CreateMsg) => {
      const job = await ingest.create({
        uuid: r.uuid,
        owner: r.owner,
        options: { tier: r.options.tier as Tier, language: r.options.language, tool: r.options.tool ?? null, translate_to: r.options.translate_to ?? null },
        kind: r.input_kind as InputKind,
        pageCount: r.page_count,
        originalFilename: r.original_filename ?? null,
        warnings: r.warnings,
        ...(r.plan_priority === undefined ? {} : { planPriority: r.plan_priority }),
        // proto3 cannot tell an absent repeated field from an empty one: empty means all pages.
        sourcePages: r.source_pages?.length ? r.source_pages : null,
        callbackUrl: r.callback_url || null,
      });
      return { json: JSON.stringify(job) };
    }),
    GetJob: h(async (r: JobRef) => ({ json: JSON.stringify(await ingest.getOwned(r.uuid, r.owner)) })),
    ViewJob: h(async (r: JobRef) => ({ json: JSON.stringify(await ingest.viewOwned(r.uuid, r.owner)) })),
    ListJobs: h(async (r: ListMsg) => ({
      json: JSON.stringify(await ingest.list({ owner: r.owner, limit: r.limit, retentionHours: r.retention_hours, ...(r.cursor ? { cursor: r.cursor } : {}) })),
    })),
    DeleteJob: h(async (r: JobRef) => {
      await ingest.delete(await ingest.getOwned(r.uuid, r.owner));
      return {};
    }),
    WaitUntilFinished: h(async (r: { uuid: string; timeout_ms: number }) => {
      await ingest.waitUntilFinished(r.uuid, r.timeout_ms);
      return {};
    }),
  };
}

/** ingest seen from the gateway: the same interface as the job service in one process. */
export class IngestClient implements IngestApi {
  readonly grpc: GrpcClient;

  constructor(settings: ClientSettings) {
    this.grpc = new GrpcClient('Ingest', 'ingest', settings);
  }

  async create(job: StagedJob): Promise<JobRecord> {
    const msg: CreateMsg = {
      uuid: job.uuid,
      owner: job.owner,
      options: { tier: job.options.tier, language: job.options.language, tool: job.options.tool ?? undefined, translate_to: job.options.translate_to ?? undefined },
      input_kind: job.kind,
      page_count: job.pageCount,
      original_filename: job.originalFilename ?? undefined,
      warnings: job.warnings,
      plan_priority: job.planPriority,
      source_pages: job.sourcePages ?? [],
      ...(job.callbackUrl ? { callback_url: job.callbackUrl } : {}),
    };
    return runWithContext({ jobUuid: job.uuid }, async () => parseJob(await this.grpc.unary<CreateMsg, Json>('CreateJob', msg)));
  }

  async getOwned(uuid: string, owner: string): Promise<JobRecord> {
    return parseJob(await this.grpc.unary<JobRef, Json>('GetJob', { uuid, owner }));
  }

  async viewOwned(uuid: string, owner: string): Promise<JobView> {
    return JSON.parse((await this.grpc.unary<JobRef, Json>('ViewJob', { uuid, owner })).json) as JobView;
  }

  async list(req: JobListRequest): Promise<JobListing> {
    const msg: ListMsg = { owner: req.owner, limit: req.limit, retention_hours: req.retentionHours, ...(req.cursor ? { cursor: req.cursor } : {}) };
    return JSON.parse((await this.grpc.unary<ListMsg, Json>('ListJobs', msg)).json) as JobListing;
  }

  async delete(job: JobRecord): Promise<void> {
    await this.grpc.unary('DeleteJob', { uuid: job.uuid, owner: job.owner });
  }

  /** The deadline covers the wait itself: a wait is never cut short by the call's own deadline. */
  async waitUntilFinished(uuid: string, timeoutMs: number): Promise<void> {
    await this.grpc.unary('WaitUntilFinished', { uuid, timeout_ms: timeoutMs }, timeoutMs);
  }

  close(): void {
    this.grpc.close();
  }
}
