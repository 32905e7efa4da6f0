import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  type Account,
  type AccountStore,
  type PlanName,
  type RevocableTokenStore,
  type SessionStore,
} from '@ocr/domain';
import { TokenService, type IssuedToken } from '@ocr/auth';
import { hashPassword, verifyPassword } from './password';
import { systemClock, type Clock } from './plans';
import { FailureThrottle, WindowLimiter, type FailureThrottleSettings, type MonotonicClock } from './throttle';

export interface AbuseSettings {
  /** Sign-in failures: `maxFailures` per email, `ipMaxFailures` per client IP, then growing lockouts. */
  signIn: FailureThrottleSettings & { ipMaxFailures: number };
  /** Web sign-ups per client IP in a sliding window. */
  signUp: { perIp: number; windowMs: number };
}

export interface AccountSettings {
  sessionHours: number;
  scryptN: number;
  /** Absent: no throttling (the operator CLI, tests of other things). */
  abuse?: AbuseSettings;
}

function tooManyRequests(what: string, waitMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('too_many_requests', `too many ${what}; try again in ${seconds} s`, { retry_after: seconds });
}

/** A token as listed after creation: never the token itself. */
export interface TokenListing {
  id: string;
  prefix: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Token ids in listings: the first hex digits of the stored hash (the hash is not a secret, its prefix even less). */
const TOKEN_ID_LENGTH = 16;

export function isAccountId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function sessionHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Accounts, web sessions and each account's API tokens. */
export class AccountService {
  private readonly signInByEmail: FailureThrottle | null;
  private readonly signInByIp: FailureThrottle | null;
  private readonly signUpByIp: WindowLimiter | null;
  /** Unknown emails are checked against this, so they cost the same scrypt work as known ones. */
  private decoyHash: Promise<string> | null = null;

  constructor(
    private readonly accounts: AccountStore,
    private readonly sessions: SessionStore,
    private readonly tokenStore: RevocableTokenStore,
    private readonly tokens: TokenService,
    private readonly settings: AccountSettings,
    private readonly clock: Clock = systemClock,
    monotonic?: MonotonicClock,
  ) {
    const abuse = settings.abuse;
    this.signInByEmail = abuse ? new FailureThrottle(abuse.signIn, monotonic) : null;
    this.signInByIp = abuse ? new FailureThrottle({ ...abuse.signIn, maxFailures: abuse.signIn.ipMaxFailures }, monotonic) : null;
    this.signUpByIp = abuse ? new WindowLimiter(abuse.signUp.perIp, abuse.signUp.windowMs, monotonic) : null;
  }

  async create(input: { email: string | null; password: string | null; plan: PlanName; id?: string }): Promise<Account> {
    const id = input.id ?? `a_${randomBytes(9).toString('base64url')}`;
    if (!isAccountId(id)) throw new AppError('invalid_field', 'account ids are 1-64 letters, digits, _ or -', { field: 'id' });
    const account: Account = {
      id,
      email: input.email === null ? null : input.email.trim().toLowerCase(),
      password_hash: input.password === null ? null : await hashPassword(input.password, this.settings.scryptN),
      plan: input.plan,
      created_at: this.clock().toISOString(),
    };
    await this.accounts.insertAccount(account);
    return account;
  }

  /** The account, created on the given plan when it does not exist yet (operator tokens). */
  async ensure(id: string, plan: PlanName): Promise<Account> {
    return (await this.accounts.getAccount(id)) ?? this.create({ id, email: null, password: null, plan });
  }

  get(id: string): Promise<Account | null> {
    return this.accounts.getAccount(id);
  }

  async require(id: string): Promise<Account> {
    const account = await this.accounts.getAccount(id);
    if (!account) throw new AppError('not_found', `no account ${id}`);
    return account;
  }

  list(): Promise<Account[]> {
    return this.accounts.listAccounts();
  }

  async findByEmailOrId(ref: string): Promise<Account> {
    const account = ref.includes('@') ? await this.accounts.findByEmail(ref.trim().toLowerCase()) : await this.accounts.getAccount(ref);
    if (!account) throw new AppError('not_found', `no account ${ref}`);
    return account;
  }

  async changePlan(id: string, plan: PlanName): Promise<Account> {
    const updated = await this.accounts.updateAccount(id, { plan });
    if (!updated) throw new AppError('not_found', `no account ${id}`);
    return updated;
  }

  /** The account's webhook signing secret, made on first use (Standard Webhooks form: `whsec_` + base64 of 24 random bytes). */
  async webhookSecret(id: string): Promise<string> {
    const account = await this.require(id);
    return account.webhook_secret ?? this.rotateWebhookSecret(id);
  }

  /** A new secret; webhooks are signed with it from now on, the old one stops verifying. */
  async rotateWebhookSecret(id: string): Promise<string> {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const updated = await this.accounts.updateAccount(id, { webhook_secret: secret });
    if (!updated) throw new AppError('not_found', `no account ${id}`);
    return secret;
  }

  /** A web sign-up: a free account, within the per-IP sign-up limit (the CLI uses create, unlimited). */
  async signUp(email: string, password: string, ip: string): Promise<Account> {
    const wait = this.signUpByIp?.take(ip) ?? 0;
    if (wait > 0) throw tooManyRequests('sign-ups from this address', wait);
    return this.create({ email, password, plan: 'free' });
  }

  /**
   * Same answer, and the same scrypt work, for an unknown email and a wrong password, so sign-in
   * reveals neither by its answer nor by its time who has an account. Throttled per email and per
   * client IP (429 with a wait), the right password included while a lockout lasts.
   */
  async signIn(email: string, password: string, ip = 'unknown'): Promise<{ account: Account; session: string }> {
    const key = email.trim().toLowerCase();
    const ipWait = this.signInByIp?.begin(ip) ?? 0;
    if (ipWait > 0) throw tooManyRequests('sign-in attempts from this address', ipWait);
    const emailWait = this.signInByEmail?.begin(key) ?? 0;
    if (emailWait > 0) {
      this.signInByIp?.release(ip);
      throw tooManyRequests('sign-in attempts for this account', emailWait);
    }
    let account: Account | null;
    let ok: boolean;
    try {
      account = await this.accounts.findByEmail(key);
      const hash = account?.password_hash ?? (await this.decoy());
      ok = (await verifyPassword(password, hash)) && Boolean(account?.password_hash);
    } catch (err) {
      this.signInByIp?.release(ip);
      this.signInByEmail?.release(key);
      throw err;
    }
    if (!account || !ok) {
      this.signInByIp?.fail(ip);
      this.signInByEmail?.fail(key);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    this.signInByIp?.release(ip);
    this.signInByEmail?.succeed(key);
    return { account, session: await this.openSession(account.id) };
  }

  private decoy(): Promise<string> {
    return (this.decoyHash ??= hashPassword(randomBytes(16).toString('base64url'), this.settings.scryptN));
  }

  async openSession(accountId: string): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    const expires = new Date(this.clock().getTime() + this.settings.sessionHours * 3_600_000);
    await this.sessions.insertSession({ hash: sessionHash(value), account_id: accountId, expires_at: expires.toISOString() });
    return value;
  }

  async sessionAccount(value: string | undefined): Promise<Account | null> {
    if (!value || value.length > 128) return null;
    const session = await this.sessions.findSession(sessionHash(value));
    if (!session) return null;
    if (session.expires_at <= this.clock().toISOString()) {
      await this.sessions.deleteSession(session.hash);
      return null;
    }
    return this.accounts.getAccount(session.account_id);
  }

  async signOut(value: string | undefined): Promise<void> {
    if (value && value.length <= 128) await this.sessions.deleteSession(sessionHash(value));
  }

  issueToken(accountId: string, name: string): Promise<IssuedToken> {
    return this.tokens.issue(accountId, name);
  }

  async listTokens(accountId: string): Promise<TokenListing[]> {
    const tokens = await this.tokenStore.listByAccount(accountId);
    return tokens
      .map((t) => ({ id: t.hash.slice(0, TOKEN_ID_LENGTH), prefix: t.prefix, name: t.name, created_at: t.created_at, revoked_at: t.revoked_at }))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async revokeToken(accountId: string, tokenId: string): Promise<void> {
    const tokens = await this.tokenStore.listByAccount(accountId);
    const token = tokens.find((t) => t.hash.slice(0, TOKEN_ID_LENGTH) === tokenId);
    if (!token) throw new AppError('not_found', `no token ${tokenId} on this account`);
    if (!token.revoked_at) await this.tokenStore.revoke(token.hash, this.clock().toISOString());
  }

  /** Removes the account, its sessions and tokens; its jobs are removed by the caller (they live elsewhere). */
  async delete(accountId: string): Promise<void> {
    await this.tokenStore.deleteByAccount(accountId);
    await this.sessions.deleteByAccount(accountId);
    await this.accounts.deleteAccount(accountId);
  }
}
