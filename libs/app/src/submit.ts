import { randomUUID } from 'node:crypto';
import { AppError, selectPages, type JobRecord } from '@ocr/domain';
import type { Allowance, Plan } from '@ocr/accounts';
import type { AddressPolicy, JobView } from '@ocr/jobs';
import { inspectDocument, sniffType, type IntakeLimits } from '@ocr/intake';
import type { MeteredCaller } from './caller';
import { setContextJob } from './request-context';
import type { AccountsApi, IngestApi, MeteringApi, UploadStaging } from './services';
import { validateSubmitFields, type SubmitPolicy } from './submit-fields';

const SUPPORTED = 'PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF';

/** An upload on the edge's disk, with its form fields. */
export interface ReceivedFile {
  path: string;
  originalName: string;
  fields: Record<string, unknown>;
  /** Leading bytes of the file, for type sniffing. */
  head: Buffer;
}

export interface SubmitInput {
  caller: MeteredCaller;
  file: ReceivedFile;
  idempotencyKey: string | null;
  /** Told where the caller stands after each reservation or charge, refused or not (response headers). */
  onAllowance: (a: Allowance) => void;
}

export interface SubmitResult {
  view: JobView;
  /** Done or failed: the answer is final (200); otherwise the job is still running (202). */
  finished: boolean;
  /** An Idempotency-Key retry answered with the job the first request made. */
  replayed: boolean;
}

export interface SubmitDeps {
  ingest: IngestApi;
  staging: UploadStaging;
  accounts: AccountsApi;
  /** Which addresses a callback_url may reach (WEBHOOK_ALLOWED_ADDRESSES). */
  callbackPolicy: AddressPolicy;
  metering: MeteringApi | null;
  policy: SubmitPolicy;
  limits: IntakeLimits;
  /** Whose file budget applies when nothing is metered (METERING=false serves everyone as paid). */
  unmeteredPlan: Plan;
  inlinePageLimit: number;
  inlineWaitMs: number;
}

/**
 * POST /api/v1/ocr: validate, sniff, count, reserve, create, and for inline-sized jobs wait for
 * the result. The same code runs in the standalone process and in the cluster gateway; only the
 * services behind `SubmitDeps` differ.
 */
export class SubmitService {
  constructor(private readonly deps: SubmitDeps) {}

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const { caller, file } = input;
    const { options, warnings, pages, callbackUrl } = validateSubmitFields(file.fields, this.deps.policy);
    if (callbackUrl) await this.checkCallback(callbackUrl, caller);
    const kind = sniffType(file.head);
    if (!kind) throw new AppError('unsupported_type', `unsupported file type; send one of ${SUPPORTED}`);
    // The plan's cost limits apply whether or not pages are metered: a tiny file must not buy
    // unbounded decoding anywhere.
    const costPlan = this.deps.metering ? caller.plan : this.deps.unmeteredPlan;
    const info = await inspectDocument(file.path, this.deps.limits, { plan: costPlan.name, ...costPlan.fileBudget });
    // pages=: only the selected pages become the job's pages, so only they are read and charged.
    const sourcePages = pages ? selectPages(pages, info.pageCount) : null;
    const pageCount = sourcePages?.length ?? info.pageCount;
    // Pages are held before any work; a refusal (402) leaves nothing behind.
    const uuid = randomUUID();
    setContextJob(uuid);
    const meter = this.deps.metering;
    if (meter) {
      const reservation = await meter
        .reserve({ owner: caller.owner, plan: caller.plan.name, tier: options.tier, pages: pageCount, jobUuid: uuid, idempotencyKey: input.idempotencyKey })
        .finally(() => this.reportAllowance(input));
      if (reservation.kind === 'existing') {
        // A retry: answer with the job the first request made, charged once.
        const first = await this.waitForJob(reservation.jobUuid, caller.owner);
        return { ...(await this.answer(first, input)), replayed: true };
      }
    }
    let job: JobRecord;
    try {
      await this.deps.staging.stage(uuid, file.path);
      job = await this.deps.ingest.create({
        uuid,
        owner: caller.owner,
        options,
        kind: info.kind,
        pageCount,
        sourcePages,
        callbackUrl,
        originalFilename: file.originalName || null,
        warnings,
        planPriority: caller.plan.priority,
      });
    } catch (err) {
      // A create that failed late (ingest wrote the job, then the broker did not take its pages
      // within the deadline) leaves a job that must not run uncharged: remove it if it is there.
      await this.deps.ingest
        .getOwned(uuid, caller.owner)
        .then((orphan) => this.deps.ingest.delete(orphan))
        .catch(() => undefined);
      await meter?.settle({ uuid, pages_done: 0 }).catch(() => undefined);
      await this.deps.staging.discard(uuid).catch(() => undefined);
      throw err;
    }
    return { ...(await this.answer(job, input)), replayed: false };
  }

  /** Webhooks are signed with the account's secret, and never sent to the service's own network. */
  private async checkCallback(url: string, caller: MeteredCaller): Promise<void> {
    if (caller.caller.kind !== 'account') {
      throw new AppError('invalid_field', "callback_url needs an account token: webhooks are signed with the account's secret", { field: 'callback_url' });
    }
    await this.deps.callbackPolicy.check(new URL(url));
    await this.deps.accounts.ensure(caller.caller.accountId, 'operator');
  }

  /** Inline-sized jobs are answered finished; the allowance is read after the charge. */
  private async answer(job: JobRecord, input: SubmitInput): Promise<Omit<SubmitResult, 'replayed'>> {
    const { ingest } = this.deps;
    if (job.page_count <= this.deps.inlinePageLimit && job.status !== 'done' && job.status !== 'failed') {
      await ingest.waitUntilFinished(job.uuid, this.deps.inlineWaitMs);
    }
    const view = await ingest.viewOwned(job.uuid, job.owner);
    await this.reportAllowance(input);
    return { view, finished: view.status === 'done' || view.status === 'failed' };
  }

  private async reportAllowance(input: SubmitInput): Promise<void> {
    const meter = this.deps.metering;
    if (!meter) return;
    const a = await meter.allowance(input.caller.owner, input.caller.plan.name).catch(() => null);
    if (a) input.onAllowance(a);
  }

  /**
   * The job a first request with the same Idempotency-Key made. That request may still be writing
   * it (its pages are held meanwhile); a job that is gone with its hold settled was deleted: 404.
   */
  private async waitForJob(uuid: string, owner: string): Promise<JobRecord> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await this.deps.ingest.getOwned(uuid, owner);
      } catch (err) {
        if (Date.now() > deadline || !(await this.deps.metering?.isHeld(uuid))) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}
