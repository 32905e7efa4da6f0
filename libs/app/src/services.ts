import type { Readable } from 'node:stream';
import type { Account, InputKind, JobOptions, JobRecord, PlanName, Tier } from '@ocr/domain';
import type { IssuedToken } from '@ocr/auth';
import type { Allowance, DailyUsage, Reservation, SettledJob, TokenListing } from '@ocr/accounts';
import type { JobListing, JobView } from '@ocr/jobs';
import type { ChatReply } from '@ocr/ai';
import type { ChatMessage } from '@ocr/domain';

/**
 * What the edge (the standalone HTTP controllers or the cluster gateway) needs from the other
 * services. Each interface has two implementations: direct calls into the libraries in one
 * process (`in-process.ts`) and gRPC clients in the cluster (`@ocr/transport-grpc`).
 */

/** auth-billing: who a token belongs to. */
export interface IdentityApi {
  /** The account id of a valid token; 'unauthorized' otherwise. */
  authenticate(token: string): Promise<string>;
}

/** auth-billing: accounts, web sessions and their tokens. */
export interface AccountsApi {
  get(id: string): Promise<Account | null>;
  ensure(id: string, plan: PlanName): Promise<Account>;
  create(input: { email: string | null; password: string | null; plan: PlanName }): Promise<Account>;
  /** A web sign-up: a free account, limited per client address (SIGNUPS_PER_IP). */
  signUp(email: string, password: string, ip: string): Promise<Account>;
  /** Throttled per email and per client address (SIGNIN_* settings). */
  signIn(email: string, password: string, ip?: string): Promise<{ account: Account; session: string }>;
  openSession(accountId: string): Promise<string>;
  sessionAccount(value: string | undefined): Promise<Account | null>;
  signOut(value: string | undefined): Promise<void>;
  issueToken(accountId: string, name: string): Promise<IssuedToken>;
  listTokens(accountId: string): Promise<TokenListing[]>;
  revokeToken(accountId: string, tokenId: string): Promise<void>;
  delete(accountId: string): Promise<void>;
  webhookSecret(accountId: string): Promise<string>;
  rotateWebhookSecret(accountId: string): Promise<string>;
}

/** A reservation asked of auth-billing: the plan travels by name, its limits are auth-billing's. */
export interface MeterRequest {
  owner: string;
  plan: PlanName;
  tier: Tier;
  pages: number;
  jobUuid: string;
  idempotencyKey: string | null;
}

/** auth-billing: the ledger. Every decision (402, hold, charge) is made there, one writer per account. */
export interface MeteringApi {
  reserve(req: MeterRequest): Promise<Reservation>;
  /** Releases the job's hold and charges its done pages; idempotent. */
  settle(job: SettledJob): Promise<void>;
  isHeld(jobUuid: string): Promise<boolean>;
  allowance(owner: string, plan: PlanName): Promise<Allowance>;
  usage(owner: string): Promise<DailyUsage[]>;
  jobsOf(owner: string): Promise<string[]>;
}

/** A job whose upload is already in the blob store under `sourceKey(uuid)`. */
export interface StagedJob {
  uuid: string;
  owner: string;
  options: JobOptions;
  kind: InputKind;
  pageCount: number;
  originalFilename: string | null;
  warnings: string[];
  planPriority?: number;
  /** Where the outcome is POSTed when the job finishes (checked by the submit use case). */
  callbackUrl?: string | null;
  /** `pages=`: the upload's 1-based page numbers to read (pageCount of them); absent: all. */
  sourcePages?: number[] | null;
}

/** One page of the owner's job list (GET /api/v1/ocr/). */
export interface JobListRequest {
  owner: string;
  limit: number;
  /** next_cursor of the previous page. */
  cursor?: string;
  retentionHours: number;
}

/** ingest: the job state machine. */
export interface IngestApi {
  create(job: StagedJob): Promise<JobRecord>;
  /** The job if `owner` may see it; 'not_found' otherwise (another owner's job included). */
  getOwned(uuid: string, owner: string): Promise<JobRecord>;
  /** The job's view as stored now, if `owner` may see it ('not_found' otherwise): one call over the wire. */
  viewOwned(uuid: string, owner: string): Promise<JobView>;
  /** The owner's jobs, newest first, a page at a time. */
  list(req: JobListRequest): Promise<JobListing>;
  delete(job: JobRecord): Promise<void>;
  /** Resolves when the job is finished or after `timeoutMs`, whichever comes first. */
  waitUntilFinished(uuid: string, timeoutMs: number): Promise<void>;
}

/** Moves an upload from the edge's disk into shared storage before ingest sees the job. */
export interface UploadStaging {
  stage(uuid: string, path: string): Promise<void>;
  discard(uuid: string): Promise<void>;
}

/** export: a finished job in one format, as a stream. */
export interface ExportApi {
  open(job: JobRecord, format: string, lang: string | null, query: Record<string, string>): Promise<Readable>;
  /** The processed page `index` (0-based) as an image, in the pixel frame of its boxes. */
  pageImage(job: JobRecord, index: number): Promise<PageImageFile>;
}

export interface PageImageFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface ChatHistory {
  conversation: string | null;
  job: string;
  messages: ChatMessage[];
}

/** chat: answers about a finished job, and its conversation. */
export interface ChatApi {
  ask(job: JobRecord, message: string): Promise<ChatReply>;
  history(job: JobRecord): Promise<ChatHistory>;
}
