import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { AppError, type Account, type PlanName, type Tier } from '@ocr/domain';
import type { IssuedToken } from '@ocr/auth';
import type { Allowance, DailyUsage, LimitKind, Reservation, SettledJob, TokenListing } from '@ocr/accounts';
import type { AccountsApi, IdentityApi, MeterRequest, MeteringApi } from '@ocr/app';
import { GrpcClient, type ClientSettings } from './client';
import { unary, type ServerLogger } from './server';

/** Wire shapes of auth_billing.proto (keepCase; absent optionals are undefined). */
interface AccountMsg {
  id: string;
  email?: string;
  plan: string;
  created_at: string;
}
interface AllowanceMsg {
  plan: string;
  limit: string;
  cap?: number;
  used: number;
  remaining?: number;
  resets_at?: string;
}
interface TokenMsg {
  id: string;
  prefix: string;
  name: string;
  created_at: string;
  revoked_at?: string;
}
interface ReserveMsg {
  owner: string;
  plan: string;
  tier: string;
  pages: number;
  job_uuid: string;
  idempotency_key?: string;
}

const PLANS: readonly PlanName[] = ['anonymous', 'free', 'paid', 'operator'];

function planName(value: string): PlanName {
  if (!(PLANS as readonly string[]).includes(value)) throw new AppError('invalid_field', `unknown plan '${value}'`);
  return value as PlanName;
}

// The password hash never leaves auth-billing: sign-in is decided there.
const accountToMsg = (a: Account): AccountMsg => ({ id: a.id, email: a.email ?? undefined, plan: a.plan, created_at: a.created_at });
const accountFromMsg = (m: AccountMsg): Account => ({ id: m.id, email: m.email ?? null, password_hash: null, plan: planName(m.plan), created_at: m.created_at });

const allowanceToMsg = (a: Allowance): AllowanceMsg => ({
  plan: a.plan,
  limit: a.limit,
  cap: a.cap ?? undefined,
  used: a.used,
  remaining: a.remaining ?? undefined,
  resets_at: a.resets_at ?? undefined,
});
const allowanceFromMsg = (m: AllowanceMsg): Allowance => ({
  plan: planName(m.plan),
  limit: m.limit as LimitKind,
  cap: m.cap ?? null,
  used: m.used,
  remaining: m.remaining ?? null,
  resets_at: m.resets_at ?? null,
});
const tokenToMsg = (t: TokenListing): TokenMsg => ({ ...t, revoked_at: t.revoked_at ?? undefined });
const tokenFromMsg = (m: TokenMsg): TokenListing => ({ id: m.id, prefix: m.prefix, name: m.name, created_at: m.created_at, revoked_at: m.revoked_at ?? null });

export interface AuthBillingApis {
  identity: IdentityApi;
  accounts: AccountsApi;
  /** Null when METERING=false: reservations succeed without a hold, nothing is charged. */
  metering: MeteringApi | null;
}

/** The AuthBilling service's handlers over the in-process services of this process. */
export function authBillingHandlers(apis: AuthBillingApis, log: ServerLogger): UntypedServiceImplementation {
  const { identity, accounts } = apis;
  const meter = (): MeteringApi => {
    if (!apis.metering) throw new AppError('invalid_field', 'metering is off on this server (METERING=false)');
    return apis.metering;
  };
  const h = <Req, Res>(fn: (req: Req) => Promise<Res>) => unary<Req, Res>(log, fn);
  return {
    Authenticate: h(async (r: { token: string }) => ({ account_id: await identity.authenticate(r.token) })),
    GetAccount: h(async (r: { account_id: string }) => {
      const a = await accounts.get(r.account_id);
      return a ? { account: accountToMsg(a) } : {};
    }),
    EnsureAccount: h(async (r: { account_id: string; plan: string }) => accountToMsg(await accounts.ensure(r.account_id, planName(r.plan)))),
    CreateAccount: h(async (r: { email?: string; password?: string; plan: string }) =>
      accountToMsg(await accounts.create({ email: r.email ?? null, password: r.password ?? null, plan: planName(r.plan) })),
    ),
    SignUp: h(async (r: { email: string; password: string; ip: string }) => accountToMsg(await accounts.signUp(r.email, r.password, r.ip))),
    SignIn: h(async (r: { email: string; password: string; ip?: string }) => {
      const { account, session } = await accounts.signIn(r.email, r.password, r.ip || undefined);
      return { account: accountToMsg(account), session };
    }),
    OpenSession: h(async (r: { account_id: string }) => ({ value: await accounts.openSession(r.account_id) })),
    SessionAccount: h(async (r: { value?: string }) => {
      const a = await accounts.sessionAccount(r.value);
      return a ? { account: accountToMsg(a) } : {};
    }),
    SignOut: h(async (r: { value?: string }) => {
      await accounts.signOut(r.value);
      return {};
    }),
    IssueToken: h(async (r: { account_id: string; name: string }) => {
      const t = await accounts.issueToken(r.account_id, r.name);
      return { token: t.token, prefix: t.prefix, account_id: t.accountId, name: t.name };
    }),
    ListTokens: h(async (r: { account_id: string }) => ({ tokens: (await accounts.listTokens(r.account_id)).map(tokenToMsg) })),
    RevokeToken: h(async (r: { account_id: string; token_id: string }) => {
      await accounts.revokeToken(r.account_id, r.token_id);
      return {};
    }),
    DeleteAccount: h(async (r: { account_id: string }) => {
      await accounts.delete(r.account_id);
      return {};
    }),
    GetWebhookSecret: h(async (r: { account_id: string }) => ({ secret: await accounts.webhookSecret(r.account_id) })),
    RotateWebhookSecret: h(async (r: { account_id: string }) => ({ secret: await accounts.rotateWebhookSecret(r.account_id) })),
    Reserve: h(async (r: ReserveMsg) => {
      const res = await meter().reserve({
        owner: r.owner,
        plan: planName(r.plan),
        tier: r.tier as Tier,
        pages: r.pages,
        jobUuid: r.job_uuid,
        idempotencyKey: r.idempotency_key ?? null,
      });
      return res.kind === 'reserved' ? { kind: 'reserved', credits: res.credits } : { kind: 'existing', job_uuid: res.jobUuid };
    }),
    Settle: h(async (r: { job_uuid: string; pages_done: number }) => {
      await meter().settle({ uuid: r.job_uuid, pages_done: r.pages_done });
      return {};
    }),
    IsHeld: h(async (r: { job_uuid: string }) => ({ held: await meter().isHeld(r.job_uuid) })),
    GetAllowance: h(async (r: { owner: string; plan: string }) => allowanceToMsg(await meter().allowance(r.owner, planName(r.plan)))),
    Usage: h(async (r: { owner: string }) => ({ days: await meter().usage(r.owner) })),
    JobsOf: h(async (r: { owner: string }) => ({ job_uuids: await meter().jobsOf(r.owner) })),
  };
}

/** auth-billing seen from the gateway, ingest and the workers: the same interfaces as in one process. */
export class AuthBillingClient implements IdentityApi, AccountsApi, MeteringApi {
  readonly grpc: GrpcClient;

  constructor(settings: ClientSettings) {
    this.grpc = new GrpcClient('AuthBilling', 'auth-billing', settings);
  }

  async authenticate(token: string): Promise<string> {
    return (await this.grpc.unary<{ token: string }, { account_id: string }>('Authenticate', { token })).account_id;
  }

  async get(id: string): Promise<Account | null> {
    const r = await this.grpc.unary<object, { account?: AccountMsg }>('GetAccount', { account_id: id });
    return r.account ? accountFromMsg(r.account) : null;
  }

  async ensure(id: string, plan: PlanName): Promise<Account> {
    return accountFromMsg(await this.grpc.unary<object, AccountMsg>('EnsureAccount', { account_id: id, plan }));
  }

  async create(input: { email: string | null; password: string | null; plan: PlanName }): Promise<Account> {
    const req = { email: input.email ?? undefined, password: input.password ?? undefined, plan: input.plan };
    return accountFromMsg(await this.grpc.unary<object, AccountMsg>('CreateAccount', req));
  }

  async signUp(email: string, password: string, ip: string): Promise<Account> {
    return accountFromMsg(await this.grpc.unary<object, AccountMsg>('SignUp', { email, password, ip }));
  }

  async signIn(email: string, password: string, ip?: string): Promise<{ account: Account; session: string }> {
    const r = await this.grpc.unary<object, { account: AccountMsg; session: string }>('SignIn', { email, password, ...(ip ? { ip } : {}) });
    return { account: accountFromMsg(r.account), session: r.session };
  }

  async openSession(accountId: string): Promise<string> {
    return (await this.grpc.unary<object, { value?: string }>('OpenSession', { account_id: accountId })).value ?? '';
  }

  async sessionAccount(value: string | undefined): Promise<Account | null> {
    const r = await this.grpc.unary<object, { account?: AccountMsg }>('SessionAccount', { value });
    return r.account ? accountFromMsg(r.account) : null;
  }

  async signOut(value: string | undefined): Promise<void> {
    await this.grpc.unary('SignOut', { value });
  }

  async issueToken(accountId: string, name: string): Promise<IssuedToken> {
    const r = await this.grpc.unary<object, { token: string; prefix: string; account_id: string; name: string }>('IssueToken', { account_id: accountId, name });
    return { token: r.token, prefix: r.prefix, accountId: r.account_id, name: r.name };
  }

  async listTokens(accountId: string): Promise<TokenListing[]> {
    return (await this.grpc.unary<object, { tokens: TokenMsg[] }>('ListTokens', { account_id: accountId })).tokens.map(tokenFromMsg);
  }

  async revokeToken(accountId: string, tokenId: string): Promise<void> {
    await this.grpc.unary('RevokeToken', { account_id: accountId, token_id: tokenId });
  }

  async webhookSecret(accountId: string): Promise<string> {
    return (await this.grpc.unary<object, { secret: string }>('GetWebhookSecret', { account_id: accountId })).secret;
  }

  async rotateWebhookSecret(accountId: string): Promise<string> {
    return (await this.grpc.unary<object, { secret: string }>('RotateWebhookSecret', { account_id: accountId })).secret;
  }

  async delete(accountId: string): Promise<void> {
    await this.grpc.unary('DeleteAccount', { account_id: accountId });
  }

  async reserve(req: MeterRequest): Promise<Reservation> {
    const msg: ReserveMsg = {
      owner: req.owner,
      plan: req.plan,
      tier: req.tier,
      pages: req.pages,
      job_uuid: req.jobUuid,
      idempotency_key: req.idempotencyKey ?? undefined,
    };
    const r = await this.grpc.unary<ReserveMsg, { kind: string; credits: number; job_uuid: string }>('Reserve', msg);
    return r.kind === 'existing' ? { kind: 'existing', jobUuid: r.job_uuid } : { kind: 'reserved', credits: r.credits };
  }

  async settle(job: SettledJob): Promise<void> {
    await this.grpc.unary('Settle', { job_uuid: job.uuid, pages_done: job.pages_done });
  }

  async isHeld(jobUuid: string): Promise<boolean> {
    return (await this.grpc.unary<object, { held: boolean }>('IsHeld', { job_uuid: jobUuid })).held;
  }

  async allowance(owner: string, plan: PlanName): Promise<Allowance> {
    return allowanceFromMsg(await this.grpc.unary<object, AllowanceMsg>('GetAllowance', { owner, plan }));
  }

  async usage(owner: string): Promise<DailyUsage[]> {
    const r = await this.grpc.unary<object, { days: Array<{ day: string; tier: string; pages: number; credits: number }> }>('Usage', { owner });
    return r.days.map((d) => ({ day: d.day, tier: d.tier as Tier, pages: d.pages, credits: d.credits }));
  }

  async jobsOf(owner: string): Promise<string[]> {
    return (await this.grpc.unary<object, { job_uuids: string[] }>('JobsOf', { owner })).job_uuids;
  }

  close(): void {
    this.grpc.close();
  }
}
