import { AppError, type JobCursor, type JobRecord, type JobStatus, type Tier } from '@ocr/domain';
import type { JobService } from './job-service';

/** One row of the caller's documents: enough to list, follow and delete a job without its pages. */
export interface JobSummary {
  uuid: string;
  status: JobStatus;
  filename: string | null;
  tier: Tier;
  language: string;
  tool: string | null;
  translate_to: string | null;
  page_count: number;
  pages_done: number;
  pages_failed: number;
  created_at: string;
  finished_at: string | null;
  /** When retention deletes the job; null while it is still being read (the clock starts at finish). */
  expires_at: string | null;
  /** Seconds left before that, at the time of the response (0 once due: the next sweep deletes it). */
  expires_in_seconds: number | null;
}

export interface JobListing {
  jobs: JobSummary[];
  /** Pass as `?cursor=` for the next page; null on the last page. */
  next_cursor: string | null;
}

export function jobSummary(job: JobRecord, retentionHours: number, now: Date): JobSummary {
  const expires = job.finished_at ? new Date(Date.parse(job.finished_at) + retentionHours * 3_600_000) : null;
  return {
    uuid: job.uuid,
    status: job.status,
    filename: job.original_filename,
    tier: job.options.tier,
    language: job.options.language,
    tool: job.options.tool,
    translate_to: job.options.translate_to,
    page_count: job.page_count,
    pages_done: job.pages_done,
    pages_failed: job.pages_failed,
    created_at: job.created_at,
    finished_at: job.finished_at,
    expires_at: expires ? expires.toISOString() : null,
    expires_in_seconds: expires ? Math.max(0, Math.round((expires.getTime() - now.getTime()) / 1000)) : null,
  };
}

/** Cursors are opaque to clients: the last job's sort key, base64url-encoded JSON. */
export function encodeCursor(job: JobRecord): string {
  return Buffer.from(JSON.stringify([job.created_at, job.uuid])).toString('base64url');
}

export function decodeCursor(cursor: string): JobCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { created_at: value[0], uuid: value[1] };
    }
  } catch {
    // falls through to the same answer as a well-formed cursor of the wrong shape
  }
  throw new AppError('invalid_field', 'cursor is not one this service gave out; start again without it', { field: 'cursor' });
}

export async function listJobs(
  jobs: JobService,
  owner: string,
  opts: { limit: number; cursor?: string; retentionHours: number; now?: Date },
): Promise<JobListing> {
  const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const page = await jobs.listOwned(owner, opts.limit, after);
  const now = opts.now ?? new Date();
  const last = page.jobs[page.jobs.length - 1];
  return {
    jobs: page.jobs.map((j) => jobSummary(j, opts.retentionHours, now)),
    next_cursor: page.more && last ? encodeCursor(last) : null,
  };
}
