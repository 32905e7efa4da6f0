import type { Readable } from 'node:stream';
import type { JobRecord, PageEvent, PageRecord, PageTask } from './job';

/**
 * Jobs and their pages. Every write is idempotent by (job, page). A job's `pages_done` and
 * `pages_failed` are derived from the recorded page outcomes (see recordPageOutcome), never
 * counted by read-modify-write, so a page delivered twice (Kafka redelivers) counts once.
 */
export interface JobStore {
  insertJob(job: JobRecord): Promise<void>;
  getJob(uuid: string): Promise<JobRecord | null>;
  updateJob(uuid: string, patch: Partial<Omit<JobRecord, 'uuid'>>): Promise<JobRecord | null>;
  deleteJob(uuid: string): Promise<void>;
  /** Creates or replaces the page (job_uuid, index). */
  putPage(page: PageRecord): Promise<void>;
  getPage(jobUuid: string, index: number): Promise<PageRecord | null>;
  /**
   * Records page `index`'s final outcome, at most once per (job, page): an insert under a unique
   * key, so a redelivered page, even recorded concurrently by two workers, counts once and the
   * first outcome stays. Returns the job with its counts including this page, or null when the
   * job is gone.
   */
  recordPageOutcome(jobUuid: string, index: number, outcome: 'done' | 'failed'): Promise<JobRecord | null>;
  /** Deletes the job's page records and their recorded outcomes. */
  deletePages(jobUuid: string): Promise<void>;
  listPages(jobUuid: string): Promise<PageRecord[]>;
  /** Jobs in 'pending' or 'processing': what a restart must resume. */
  listUnfinishedJobs(): Promise<JobRecord[]>;
  /** Finished jobs ('done' / 'failed') whose finished_at is before the given ISO time. */
  listFinishedBefore(isoTime: string): Promise<JobRecord[]>;
  /**
   * One owner's jobs, newest first (created_at, then uuid, both descending), at most `limit`;
   * with `after`, only the jobs that sort after that one (the next page of a listing).
   */
  listJobsByOwner(owner: string, limit: number, after?: JobCursor): Promise<JobRecord[]>;
  close(): Promise<void>;
}

/** Uploads, page images and exports, by key ('sources/<uuid>', 'exports/<uuid>/x.pdf'). */
export interface BlobStore {
  put(key: string, data: Buffer | Readable): Promise<void>;
  /** Moves a local file in (cheap on the local adapter, an upload on S3). */
  putFile(key: string, path: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Promise<Readable>;
  /** A local file path holding the blob, for native tools; `release` cleans any temporary copy. */
  localPath(key: string): Promise<{ path: string; release: () => Promise<void> }>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  /**
   * Copies a blob inside the store (S3 CopyObject), so its bytes never travel through the service;
   * rejects when `from` does not exist. Absent where `localPath` and `putFile` cost as little.
   */
  copy?(from: string, to: string): Promise<void>;
  /**
   * A URL a client can GET the blob from directly for `seconds` (S3 presigned), so a download can
   * skip the service; absent on stores that cannot (local files).
   */
  presignedGetUrl?(key: string, seconds: number, downloadName?: string): Promise<string>;
}

/** Where a listing of jobs stopped: the last job shown. */
export interface JobCursor {
  created_at: string;
  uuid: string;
}

/** Handles one page task; what it resolves to is the handler's own (the bus ignores it). */
export type PageTaskHandler = (task: PageTask) => Promise<unknown>;

/** Page work between ingest and the OCR workers. */
export interface TaskBus {
  publish(task: PageTask): Promise<void>;
  /** Gets ready for publishes about to follow, where that costs round trips (Kafka: the worker group's load); never throws. */
  prepare?(): Promise<void>;
  /** Starts delivering tasks to the handler, at most `concurrency` at a time. */
  consume(handler: PageTaskHandler, concurrency: number): Promise<void>;
  close(): Promise<void>;
  /** Tasks waiting for a worker, where the bus can tell cheaply (embedded: its queue); for /metrics. */
  readonly pending?: number;
}

export type PageEventHandler = (event: PageEvent) => Promise<void>;

/**
 * Page outcomes from the OCR workers back to ingest (the cluster's `ocr.page-events`): a
 * notification only (the JobStore holds the truth), so every subscriber hears every event and
 * a lost event costs a poll interval, not a result.
 */
export interface PageEventBus {
  publish(event: PageEvent): Promise<void>;
  subscribe(handler: PageEventHandler): Promise<void>;
  close(): Promise<void>;
}

export interface ApiToken {
  /** Hex SHA-256 of the token; the token itself is never stored. */
  hash: string;
  /** First characters of the token, to list it without revealing it. */
  prefix: string;
  name: string;
  account_id: string;
  created_at: string;
  revoked_at: string | null;
}

export interface TokenStore {
  insertToken(token: ApiToken): Promise<void>;
  findByHash(hash: string): Promise<ApiToken | null>;
  listByAccount(accountId: string): Promise<ApiToken[]>;
}
