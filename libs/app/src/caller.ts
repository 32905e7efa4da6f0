import { AppError, type Account } from '@ocr/domain';
import { ownerOf, type Caller } from '@ocr/auth';
import type { Plan, Plans } from '@ocr/accounts';
import type { AccountsApi, IdentityApi } from './services';

/** The caller with its plan and, for accounts, the account record. */
export interface MeteredCaller {
  caller: Caller;
  owner: string;
  plan: Plan;
  account: Account | null;
}

export interface CallerDeps {
  identity: IdentityApi;
  accounts: AccountsApi;
  plans: Plans;
  allowAnonymous: boolean;
}

/** Who is calling: a token must be valid; no token means anonymous (when the server allows it). */
export async function resolveCaller(deps: CallerDeps, token: string | undefined, ip: string): Promise<Caller> {
  if (token !== undefined) return { kind: 'account', accountId: await deps.identity.authenticate(token) };
  if (!deps.allowAnonymous) throw new AppError('unauthorized', 'an API token is required');
  return { kind: 'anonymous', ip };
}

/**
 * The plan a caller is on. A token whose account has no record (tokens made by `make token`
 * before accounts existed) belongs to the operator, so it keeps working unmetered.
 */
export async function meteredCaller(deps: CallerDeps, caller: Caller): Promise<MeteredCaller> {
  if (caller.kind === 'anonymous') return { caller, owner: ownerOf(caller), plan: deps.plans.anonymous, account: null };
  const account = await deps.accounts.get(caller.accountId);
  return { caller, owner: ownerOf(caller), plan: deps.plans[account?.plan ?? 'operator'], account };
}

const CHAT_NEEDS_ACCOUNT = 'chat needs an account: send Authorization: Bearer <token> or ?api_token=<token>';

/** Chat is account-gated; say what it needs whether the token is missing or anonymous calls are off. */
export async function resolveChatCaller(deps: CallerDeps, token: string | undefined, ip: string): Promise<Caller & { kind: 'account' }> {
  const caller = await resolveCaller(deps, token, ip).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'unauthorized' && token === undefined) throw new AppError('unauthorized', CHAT_NEEDS_ACCOUNT);
    throw err;
  });
  if (caller.kind !== 'account') throw new AppError('unauthorized', CHAT_NEEDS_ACCOUNT);
  return caller;
}
