import type { TokenStore } from './ports';
import type { Tier } from './job';

/** The plans a caller can be on; what each allows is data (settings), not code. */
export type PlanName = 'anonymous' | 'free' | 'paid' | 'operator';
export const ACCOUNT_PLANS: readonly PlanName[] = ['free', 'paid', 'operator'];

export interface Account {
  id: string;
  /** Lower-cased; null for operator accounts made by `make token`. */
  email: string | null;
  /** `scrypt$N$r$p$salt$hash`; null when the account cannot sign in on the web. */
  password_hash: string | null;
  plan: PlanName;
  created_at: string;
}

/**
 * Accounts, shared between the service and the operator CLI (another process): every write must
 * be visible to the other process without a restart.
 */
export interface AccountStore {
  /** Fails with 'email_taken' when another account holds the email (atomic across processes). */
  insertAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  findByEmail(email: string): Promise<Account | null>;
  updateAccount(id: string, patch: Partial<Omit<Account, 'id' | 'email'>>): Promise<Account | null>;
  deleteAccount(id: string): Promise<void>;
  listAccounts(): Promise<Account[]>;
}

export interface Session {
  /** Hex SHA-256 of the session cookie value. */
  hash: string;
  account_id: string;
  expires_at: string;
}

export interface SessionStore {
  insertSession(session: Session): Promise<void>;
  findSession(hash: string): Promise<Session | null>;
  deleteSession(hash: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<void>;
}

/** Tokens that can be revoked and removed with their account. */
export interface RevocableTokenStore extends TokenStore {
  revoke(hash: string, at: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<void>;
}

/**
 * What a ledger entry counts against:
 *  - 'credits'            purchased credits (paid plan; operator grants)
 *  - 'day:YYYY-MM-DD'     an anonymous IP's daily allowance (UTC day)
 *  - 'month:YYYY-MM'      a free account's monthly bucket (UTC month)
 *  - 'unmetered'          operator accounts: usage recorded, nothing limited
 */
export type Bucket = string;

export type LedgerKind = 'grant' | 'hold' | 'charge' | 'release' | 'adjust';

/**
 * One change to a bucket. The balance of a bucket is the sum of its entries' credits:
 * a grant adds, a hold takes credits aside before work, and when the job ends the hold is
 * released in full (+) and the done pages charged (-), so failed pages cost nothing.
 */
export interface LedgerEntry {
  /** `acct:<id>` or `anon:<ip>` (see ownerOf). */
  owner: string;
  bucket: Bucket;
  kind: LedgerKind;
  credits: number;
  pages: number;
  tier: Tier | null;
  job_uuid: string | null;
  /** Client's Idempotency-Key on a hold: a retry with the same key finds the same job. */
  idempotency_key: string | null;
  note: string | null;
  at: string;
  /**
   * Entries that must happen once per fact (a job's hold, release, charge) carry a key: a replayed
   * append of a key already in the ledger is a no-op (see LedgerStore.append).
   */
  key?: string;
}

/** The append-only ledger; other processes (the operator CLI) may append too. */
export interface LedgerStore {
  /**
   * Appends the entries together (one write: all or none). Keyed entries are idempotent: an
   * entry whose key the ledger already holds is never read back a second time.
   */
  append(entries: LedgerEntry[]): Promise<void>;
  /** Every entry appended (by any process) since this store instance last read, in order; a key once. */
  readNew(): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}
