import { AppError, type LedgerEntry, type LedgerStore, type Tier } from '@ocr/domain';
import { LedgerBook } from './ledger-book';
import { Mutex } from './mutex';
import { bucketFor, resetOf, systemClock, type Clock, type LimitKind, type Plan } from './plans';

export interface Costs {
  cpu: number;
  vlm: number;
}

export interface ReserveRequest {
  owner: string;
  plan: Plan;
  tier: Tier;
  pages: number;
  /** The job the pages are for; created by the caller after the reservation succeeds. */
  jobUuid: string;
  idempotencyKey: string | null;
}

export type Reservation = { kind: 'reserved'; credits: number } | { kind: 'existing'; jobUuid: string };

/** Where a caller stands against its plan's limit (response headers, account page, 402 bodies). */
export interface Allowance {
  plan: Plan['name'];
  limit: LimitKind;
  /** Credits available in the period (allowance) or purchased in total (credits); null when unlimited. */
  cap: number | null;
  used: number;
  remaining: number | null;
  resets_at: string | null;
}

/** The fields the meter needs from a finished (or deleted) job. */
export interface SettledJob {
  uuid: string;
  pages_done: number;
}

export interface DailyUsage {
  day: string;
  tier: Tier;
  pages: number;
  credits: number;
}

/**
 * Per-page metering on the ledger. A submission holds its credits before any work (atomically:
 * check and hold run one at a time), and when the job ends the hold is released and only the
 * done pages are charged. Every change is a ledger entry; balances are sums of entries.
 */
export class MeteringService {
  private readonly book = new LedgerBook();
  private readonly mutex = new Mutex();

  constructor(
    private readonly store: LedgerStore,
    private readonly costs: Costs,
    private readonly clock: Clock = systemClock,
  ) {}

  costOf(tier: Tier, pages: number): number {
    return this.costs[tier] * pages;
  }

  /** Folds in what was appended since the last read (by us or by the operator CLI). */
  private refreshing: Promise<void> = Promise.resolve();

  /**
   * Reads the ledger's new entries into the book, one read at a time: readNew is not safe to run
   * twice at once (two reads share one offset and one torn-line buffer, so an entry can be lost), and
   * allowance() refreshes outside the reservation mutex. A lost hold let an 11th page through an
   * allowance of 10 under 50 concurrent submissions.
   */
  private refresh(): Promise<void> {
    const next = this.refreshing.then(async () => {
      for (const e of await this.store.readNew()) this.book.apply(e);
    });
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  private async write(entries: LedgerEntry[]): Promise<void> {
    await this.store.append(entries);
    await this.refresh();
  }

  private entry(owner: string, bucket: string, fields: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind' | 'credits'>): LedgerEntry {
    return {
      owner,
      bucket,
      pages: 0,
      tier: null,
      job_uuid: null,
      idempotency_key: null,
      note: null,
      at: this.clock().toISOString(),
      ...fields,
    };
  }

  reserve(req: ReserveRequest): Promise<Reservation> {
    return this.mutex.run(async () => {
      await this.refresh();
      if (req.idempotencyKey) {
        const existing = this.book.jobForKey(req.owner, req.idempotencyKey);
        if (existing) return { kind: 'existing', jobUuid: existing };
      }
      if (req.pages > req.plan.maxPagesPerFile) {
        throw new AppError('payment_required', `this file has ${req.pages} pages; the ${req.plan.name} plan takes at most ${req.plan.maxPagesPerFile} per file`, {
          limit: 'pages_per_file',
          used: req.pages,
          cap: req.plan.maxPagesPerFile,
          plan: req.plan.name,
        });
      }
      const now = this.clock();
      const credits = this.costOf(req.tier, req.pages);
      const standing = this.standing(req.owner, req.plan, now);
      if (standing.remaining !== null && credits > standing.remaining) {
        throw new AppError('payment_required', refusal(standing, credits), {
          limit: standing.limit,
          used: standing.used,
          cap: standing.cap,
          needed: credits,
          remaining: standing.remaining,
          plan: standing.plan,
          resets_at: standing.resets_at,
        });
      }
      await this.write([
        this.entry(req.owner, bucketFor(req.plan, now), {
          kind: 'hold',
          credits: -credits,
          pages: req.pages,
          tier: req.tier,
          job_uuid: req.jobUuid,
          idempotency_key: req.idempotencyKey,
          key: `hold:${req.jobUuid}`,
        }),
      ]);
      return { kind: 'reserved', credits };
    });
  }

  /**
   * Ends a job's hold: released in full, then the done pages charged at the hold's own price
   * (a price change mid-job does not reach it). Idempotent: a settled job is left alone.
   */
  settle(job: SettledJob): Promise<void> {
    return this.mutex.run(async () => {
      await this.refresh();
      const hold = this.book.openHold(job.uuid);
      if (!hold) return;
      const perPage = hold.pages > 0 ? -hold.credits / hold.pages : 0;
      const done = Math.min(job.pages_done, hold.pages);
      const common = { pages: 0, tier: hold.tier, job_uuid: job.uuid };
      await this.write([
        // Keyed: a settle replayed by another process (or after a crash) releases and charges once.
        this.entry(hold.owner, hold.bucket, { ...common, kind: 'release', credits: -hold.credits, pages: hold.pages, key: `release:${job.uuid}` }),
        this.entry(hold.owner, hold.bucket, { ...common, kind: 'charge', credits: -perPage * done, pages: done, key: `charge:${job.uuid}` }),
      ]);
    });
  }

  /** Whether the job's pages are still held (its job is being created or running). */
  isHeld(jobUuid: string): boolean {
    return this.book.openHold(jobUuid) !== undefined;
  }

  /** Operator grants (negative: a correction) on the credits bucket. */
  grant(owner: string, credits: number, note: string | null): Promise<void> {
    return this.mutex.run(() => this.write([this.entry(owner, 'credits', { kind: credits >= 0 ? 'grant' : 'adjust', credits, note })]));
  }

  async allowance(owner: string, plan: Plan): Promise<Allowance> {
    await this.refresh();
    return this.standing(owner, plan, this.clock());
  }

  /** The same, without reading the store: for response headers right after a reservation. */
  allowanceNow(owner: string, plan: Plan): Allowance {
    return this.standing(owner, plan, this.clock());
  }

  private standing(owner: string, plan: Plan, now: Date): Allowance {
    const bucket = bucketFor(plan, now);
    const reset = resetOf(plan, now)?.toISOString() ?? null;
    const balance = this.book.balance(owner, bucket);
    switch (plan.limit) {
      case 'daily_pages':
      case 'monthly_pages': {
        const used = -balance;
        return { plan: plan.name, limit: plan.limit, cap: plan.allowance, used, remaining: Math.max(0, plan.allowance - used), resets_at: reset };
      }
      case 'credits': {
        const cap = this.book.granted(owner, bucket);
        return { plan: plan.name, limit: plan.limit, cap, used: cap - balance, remaining: Math.max(0, balance), resets_at: null };
      }
      case 'none':
        return { plan: plan.name, limit: plan.limit, cap: null, used: -balance, remaining: null, resets_at: null };
    }
  }

  /** Pages and credits charged per UTC day and tier, newest day first. */
  async usage(owner: string): Promise<DailyUsage[]> {
    await this.refresh();
    const rows = new Map<string, DailyUsage>();
    for (const e of this.book.entriesOf(owner)) {
      if (e.kind !== 'charge' || !e.tier || e.pages === 0) continue;
      const day = e.at.slice(0, 10);
      const k = `${day}|${e.tier}`;
      const row = rows.get(k) ?? { day, tier: e.tier, pages: 0, credits: 0 };
      row.pages += e.pages;
      row.credits += -e.credits;
      rows.set(k, row);
    }
    return [...rows.values()].sort((a, b) => b.day.localeCompare(a.day) || a.tier.localeCompare(b.tier));
  }

  async entries(owner: string): Promise<readonly LedgerEntry[]> {
    await this.refresh();
    return this.book.entriesOf(owner);
  }

  async jobsOf(owner: string): Promise<string[]> {
    await this.refresh();
    return this.book.jobsOf(owner);
  }

  /** Waits for writes in flight, then closes the store. */
  close(): Promise<void> {
    return this.mutex.run(() => this.store.close());
  }

  async owners(): Promise<string[]> {
    await this.refresh();
    return this.book.owners();
  }
}

function refusal(a: Allowance, needed: number): string {
  const what =
    a.limit === 'daily_pages'
      ? 'the daily page allowance for anonymous use is reached'
      : a.limit === 'monthly_pages'
        ? 'the monthly page allowance of the free plan is reached'
        : 'not enough credits';
  return `${what}: used ${a.used} of ${a.cap}, this file needs ${needed}`;
}
