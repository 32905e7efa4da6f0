import { join } from 'node:path';
import type { Settings } from '@ocr/config';
import { ownerOf, TokenService } from '@ocr/auth';
import { AccountService, MeteringService, plansFromSettings, systemClock, type Clock, type Plans } from '@ocr/accounts';
import type { AccountStore, LedgerStore, RevocableTokenStore, SessionStore } from '@ocr/domain';
import { FileAccountStore, FileSessionStore, JsonlLedgerStore, RevocableFileTokenStore } from '@ocr/adapters-embedded';
import { MongoAccountStore, MongoLedgerStore, MongoSessionStore, MongoTokenStore } from '@ocr/adapters-cluster';
import { mongoConnection } from './ports';

export interface AccountsRuntime {
  accounts: AccountService;
  /** Always built (the operator CLI reads and grants even when the service runs unmetered). */
  meter: MeteringService;
  plans: Plans;
  tokens: TokenService;
}

/** Where accounts, sessions, tokens and the ledger are kept. */
export interface AccountStores {
  accounts: AccountStore;
  sessions: SessionStore;
  tokens: RevocableTokenStore;
  ledger: LedgerStore;
}

/**
 * Files under DATA_DIR that both the service and the operator CLI open: writes of either are
 * seen by the other without a restart.
 */
export function embeddedAccountStores(settings: Settings): AccountStores {
  return {
    accounts: new FileAccountStore(join(settings.dataDir, 'accounts')),
    sessions: new FileSessionStore(join(settings.dataDir, 'sessions')),
    tokens: new RevocableFileTokenStore(join(settings.dataDir, 'tokens')),
    ledger: new JsonlLedgerStore(join(settings.dataDir, 'ledger', 'ledger.jsonl')),
  };
}

/** The account stores JOB_STORE names: the embedded files, or MongoDB's collections. */
export async function openAccountStores(settings: Settings): Promise<AccountStores> {
  switch (settings.JOB_STORE) {
    case 'embedded':
      return embeddedAccountStores(settings);
    case 'mongodb': {
      const conn = await mongoConnection(settings);
      return {
        accounts: MongoAccountStore.open(conn),
        sessions: await MongoSessionStore.open(conn),
        tokens: await MongoTokenStore.open(conn),
        ledger: await MongoLedgerStore.open(conn),
      };
    }
  }
}

export function openAccounts(
  settings: Settings,
  clock: Clock = systemClock,
  stores: AccountStores = embeddedAccountStores(settings),
): AccountsRuntime {
  const tokens = new TokenService(stores.tokens);
  const accounts = new AccountService(
    stores.accounts,
    stores.sessions,
    stores.tokens,
    tokens,
    { sessionHours: settings.SESSION_HOURS, scryptN: settings.PASSWORD_SCRYPT_N },
    clock,
  );
  const meter = new MeteringService(stores.ledger, { cpu: settings.CPU_CREDITS_PER_PAGE, vlm: settings.VLM_CREDITS_PER_PAGE }, clock);
  return { accounts, meter, plans: plansFromSettings(settings), tokens };
}

/** openAccounts on the stores JOB_STORE names (what services and the operator CLIs use). */
export async function openAccountsFor(settings: Settings): Promise<AccountsRuntime> {
  return openAccounts(settings, systemClock, await openAccountStores(settings));
}

/** The owner id an account's jobs and ledger entries are stored under. */
export function accountOwner(accountId: string): string {
  return ownerOf({ kind: 'account', accountId });
}

export { ACCOUNT_PLANS, type PlanName } from '@ocr/domain';
