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

export interface AccountSettings {
  sessionHours: number;
  scryptN: number;
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
  constructor(
    private readonly accounts: AccountStore,
    private readonly sessions: SessionStore,
    private readonly tokenStore: RevocableTokenStore,
    private readonly tokens: TokenService,
    private readonly settings: AccountSettings,
    private readonly clock: Clock = systemClock,
  ) {}

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

  /** Same answer for an unknown email and a wrong password, so sign-in does not reveal who has an account. */
  async signIn(email: string, password: string): Promise<{ account: Account; session: string }> {
    const account = await this.accounts.findByEmail(email.trim().toLowerCase());
    const ok = account?.password_hash ? await verifyPassword(password, account.password_hash) : false;
    if (!account || !ok) throw new AppError('unauthorized', 'wrong email or password');
    return { account, session: await this.openSession(account.id) };
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
