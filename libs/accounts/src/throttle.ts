/**
 * In-memory abuse limits for the web forms. One process holds them (standalone); a restart
 * forgets them, which costs an attacker nothing they could not get by waiting out one lockout.
 */

export type MonotonicClock = () => number;
const monotonic: MonotonicClock = () => performance.now();

/** Above this many keys, records that no longer matter are dropped (a spray of fresh keys stays bounded). */
const PRUNE_ABOVE = 10_000;

export interface FailureThrottleSettings {
  /** Failures in a row before the first lockout. */
  maxFailures: number;
  /** First lockout; doubled with each further failure. */
  lockoutMs: number;
  lockoutMaxMs: number;
  /** A record is forgotten this long after its last failure. */
  forgetMs: number;
}

interface FailureRecord {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
  inFlight: number;
}

/**
 * Failures per key (an email, an IP) with growing lockouts. An attempt is counted when it begins,
 * not when its password check ends: a burst of parallel guesses cannot all slip in before the
 * first one fails. Before the limit, as many attempts may be in flight as failures remain; after a
 * lockout, one at a time.
 */
export class FailureThrottle {
  private readonly records = new Map<string, FailureRecord>();

  constructor(
    private readonly settings: FailureThrottleSettings,
    private readonly now: MonotonicClock = monotonic,
  ) {}

  private record(key: string): FailureRecord {
    const t = this.now();
    let r = this.records.get(key);
    if (r && r.inFlight === 0 && t - r.lastFailure > this.settings.forgetMs && t >= r.lockedUntil) {
      this.records.delete(key);
      r = undefined;
    }
    if (!r) {
      if (this.records.size >= PRUNE_ABOVE) this.prune(t);
      r = { failures: 0, lockedUntil: 0, lastFailure: t, inFlight: 0 };
      this.records.set(key, r);
    }
    return r;
  }

  private prune(t: number): void {
    for (const [key, r] of this.records) {
      if (r.inFlight === 0 && t >= r.lockedUntil && (r.failures < this.settings.maxFailures || t - r.lastFailure > this.settings.forgetMs)) {
        this.records.delete(key);
      }
    }
  }

  /** 0: go ahead (the attempt is now in flight; end it with fail, succeed or release); else ms to wait. */
  begin(key: string): number {
    const t = this.now();
    const r = this.record(key);
    if (t < r.lockedUntil) return Math.ceil(r.lockedUntil - t);
    const allowed = r.failures < this.settings.maxFailures ? this.settings.maxFailures - r.failures : 1;
    if (r.inFlight >= allowed) return this.lockoutFor(Math.max(r.failures + r.inFlight + 1, this.settings.maxFailures));
    r.inFlight += 1;
    return 0;
  }

  fail(key: string): void {
    const t = this.now();
    const r = this.record(key);
    r.inFlight = Math.max(0, r.inFlight - 1);
    r.failures += 1;
    r.lastFailure = t;
    if (r.failures >= this.settings.maxFailures) r.lockedUntil = t + this.lockoutFor(r.failures);
  }

  /** A success clears the key's record. */
  succeed(key: string): void {
    this.records.delete(key);
  }

  /** The attempt neither failed nor succeeded (another limit refused it): it stops being in flight. */
  release(key: string): void {
    const r = this.records.get(key);
    if (r) r.inFlight = Math.max(0, r.inFlight - 1);
  }

  private lockoutFor(failures: number): number {
    const doublings = Math.min(30, Math.max(0, failures - this.settings.maxFailures));
    return Math.min(this.settings.lockoutMaxMs, this.settings.lockoutMs * 2 ** doublings);
  }
}

/** At most `limit` events per key in any `windowMs`; take answers 0 (counted) or the ms until one is allowed. */
export class WindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: MonotonicClock = monotonic,
  ) {}

  take(key: string): number {
    const t = this.now();
    if (this.events.size >= PRUNE_ABOVE) {
      for (const [k, times] of this.events) if (times.every((e) => t - e >= this.windowMs)) this.events.delete(k);
    }
    const recent = (this.events.get(key) ?? []).filter((e) => t - e < this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return Math.ceil((recent[0] ?? t) + this.windowMs - t);
    }
    recent.push(t);
    this.events.set(key, recent);
    return 0;
  }
}
