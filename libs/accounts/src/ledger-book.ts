import type { LedgerEntry } from '@ocr/domain';

const key = (owner: string, bucket: string) => `${owner}\u0000${bucket}`;

/**
 * The ledger folded in memory: bucket balances are sums of entries, nothing else. Rebuilt from
 * the store at start and kept current by applying each new entry (ours or another process's).
 */
export class LedgerBook {
  private readonly balances = new Map<string, number>();
  private readonly grants = new Map<string, number>();
  /** Holds not yet settled, by job. */
  private readonly openHolds = new Map<string, LedgerEntry>();
  private readonly settled = new Set<string>();
  private readonly idempotent = new Map<string, string>();
  private readonly byOwner = new Map<string, LedgerEntry[]>();

  apply(e: LedgerEntry): void {
    const k = key(e.owner, e.bucket);
    this.balances.set(k, (this.balances.get(k) ?? 0) + e.credits);
    if (e.kind === 'grant') this.grants.set(k, (this.grants.get(k) ?? 0) + e.credits);
    if (e.job_uuid) {
      if (e.kind === 'hold') {
        if (!this.settled.has(e.job_uuid)) this.openHolds.set(e.job_uuid, e);
        if (e.idempotency_key) this.idempotent.set(key(e.owner, e.idempotency_key), e.job_uuid);
      } else if (e.kind === 'release') {
        this.openHolds.delete(e.job_uuid);
        this.settled.add(e.job_uuid);
      }
    }
    let list = this.byOwner.get(e.owner);
    if (!list) this.byOwner.set(e.owner, (list = []));
    list.push(e);
  }

  /** Sum of the bucket's entries. For an allowance bucket this is minus what was used. */
  balance(owner: string, bucket: string): number {
    return this.balances.get(key(owner, bucket)) ?? 0;
  }

  granted(owner: string, bucket: string): number {
    return this.grants.get(key(owner, bucket)) ?? 0;
  }

  openHold(jobUuid: string): LedgerEntry | undefined {
    return this.openHolds.get(jobUuid);
  }

  jobForKey(owner: string, idempotencyKey: string): string | undefined {
    return this.idempotent.get(key(owner, idempotencyKey));
  }

  entriesOf(owner: string): readonly LedgerEntry[] {
    return this.byOwner.get(owner) ?? [];
  }

  /** Every job the owner ever reserved pages for (account deletion removes them). */
  jobsOf(owner: string): string[] {
    return [...new Set(this.entriesOf(owner).filter((e) => e.kind === 'hold' && e.job_uuid).map((e) => e.job_uuid as string))];
  }

  owners(): string[] {
    return [...this.byOwner.keys()];
  }
}
