import type { PageTimings } from './result';

export type JobStatus = 'pending' | 'processing' | 'done' | 'failed';
export type PageStatus = 'pending' | 'processing' | 'done' | 'failed';
export type Tier = 'cpu' | 'vlm';

export const TIERS: readonly Tier[] = ['cpu', 'vlm'];

/** What kind of document the upload was, detected from its bytes. */
export type InputKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'pdf';

/** The request as validated at the edge. */
export interface JobOptions {
  tier: Tier;
  /** As given by the client: 'auto' or an OCR.chat / Tesseract code. */
  language: string;
  tool: string | null;
  translate_to: string | null;
}

/** Who owns a job: an account id, or 'anon:<ip>' for anonymous callers. */
export type OwnerId = string;

export interface JobRecord {
  uuid: string;
  owner: OwnerId;
  status: JobStatus;
  options: JobOptions;
  input_kind: InputKind;
  /** Blob key of the upload; cleared once the upload is deleted. */
  upload_key: string | null;
  original_filename: string | null;
  page_count: number;
  pages_done: number;
  pages_failed: number;
  error: string | null;
  /** Notes for the client about how the request was served (e.g. a tier fallback). */
  warnings: string[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The owner's plan priority (lower first: paid before free and anonymous); absent on older jobs. */
  plan_priority?: number;
  /**
   * `pages=`: the 1-based page numbers in the upload of this job's pages, in order (job page i is
   * upload page source_pages[i]). Absent: every page of the upload, in order.
   */
  source_pages?: number[];
  /** Where the job's outcome is POSTed, signed, when it finishes (`callback_url` on submit). */
  callback_url?: string;
  /** The delivery of that callback: its attempts and what comes next. Absent until the job finishes. */
  webhook?: WebhookState;
}

export interface WebhookAttempt {
  at: string;
  /** The receiver's HTTP status; null when there was none (refused address, timeout, connection error). */
  status: number | null;
  error: string | null;
  ms: number;
}

export interface WebhookState {
  /** The `webhook-id` of the message: the same on every retry, so receivers can drop duplicates. */
  id: string;
  /** pending: more attempts to come; delivered: a 2xx came back; failed: retries ran out or the address is refused. */
  status: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  next_attempt_at: string | null;
}

/** The upload's 0-based page index that a job page is read from. */
export function sourcePageIndex(job: Pick<JobRecord, 'source_pages'>, index: number): number {
  const page = job.source_pages?.[index];
  return page === undefined ? index : page - 1;
}

export interface PageRecord {
  job_uuid: string;
  index: number;
  status: PageStatus;
  attempts: number;
  error: string | null;
  /** Blob key of the page's PageContent JSON once done (kept out of the job store: pages can be large). */
  content_key: string | null;
  /** Milliseconds this page took to process (rasterising or reading it, and recognition). */
  engine_ms: number | null;
  /** Where the page's time went, stage by stage (absent on pages processed before timings existed). */
  timings?: PageTimings;
  finished_at: string | null;
}

/** One page of work on the task bus. Idempotent by (job_uuid, index). */
export interface PageTask {
  job_uuid: string;
  index: number;
  /** Lower runs first. */
  priority: number;
}

/** A page reached its outcome (`finished`: it was the job's last). At least once, like tasks. */
export interface PageEvent {
  job_uuid: string;
  index: number;
  outcome: 'done' | 'failed';
  finished: boolean;
  /** Whether the job has a callback_url; unset (an older worker): ingest reads the job to find out. */
  webhook?: boolean;
}
