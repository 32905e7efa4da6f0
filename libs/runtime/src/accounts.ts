import { join } from 'node:path';
import type { Settings } from '@ocr/config';
import { ownerOf, TokenService } from '@ocr/auth';
import { AccountService, MeteringService, plansFromSettings, systemClock, type Clock, type Plans } from '@ocr/accounts';
import { FileAccountStore, FileSessionStore, JsonlLedgerStore, RevocableFileTokenStore } from '@ocr/adapters-embedded';

export interface AccountsRuntime {
  accounts: AccountService;
  /** Always built (the operator CLI reads and grants even when the service runs unmetered). */
  meter: MeteringService;
  plans: Plans;
  tokens: TokenService;
}

/**
 * Accounts, sessions, tokens and the ledger live in files under DATA_DIR that both the service
 * and the operator CLI open: writes of either are seen by the other without a restart.
 */
export function openAccounts(settings: Settings, clock: Clock = systemClock): AccountsRuntime {
  const tokenStore = new RevocableFileTokenStore(join(settings.dataDir, 'tokens'));
  const tokens = new TokenService(tokenStore);
  const accounts = new AccountService(
    new FileAccountStore(join(settings.dataDir, 'accounts')),
    new FileSessionStore(join(settings.dataDir, 'sessions')),
    tokenStore,
    tokens,
    {
      sessionHours: settings.SESSION_HOURS,
      scryptN: settings.PASSWORD_SCRYPT_N,
      abuse: {
        signIn: {
          maxFailures: settings.SIGNIN_MAX_FAILURES,
          ipMaxFailures: settings.SIGNIN_IP_MAX_FAILURES,
          lockoutMs: settings.SIGNIN_LOCKOUT_SECONDS * 1000,
          lockoutMaxMs: Math.max(settings.SIGNIN_LOCKOUT_SECONDS, settings.SIGNIN_LOCKOUT_MAX_SECONDS) * 1000,
          forgetMs: settings.SIGNIN_FAILURE_WINDOW_SECONDS * 1000,
        },
        signUp: { perIp: settings.SIGNUPS_PER_IP, windowMs: settings.SIGNUP_WINDOW_HOURS * 3_600_000 },
      },
    },
    clock,
  );
  const meter = new MeteringService(
    new JsonlLedgerStore(join(settings.dataDir, 'ledger', 'ledger.jsonl')),
    { cpu: settings.CPU_CREDITS_PER_PAGE, vlm: settings.VLM_CREDITS_PER_PAGE },
    clock,
  );
  return { accounts, meter, plans: plansFromSettings(settings), tokens };
}

/** The owner id an account's jobs and ledger entries are stored under. */
export function accountOwner(accountId: string): string {
  return ownerOf({ kind: 'account', accountId });
}

export { ACCOUNT_PLANS, type PlanName } from '@ocr/domain';
