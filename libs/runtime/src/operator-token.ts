import type { Settings } from '@ocr/config';
import type { IssuedToken } from '@ocr/auth';
import { openAccountsFor } from './accounts';

/** The account that operator tokens belong to by default. */
export const OPERATOR_ACCOUNT = 'operator';

/**
 * A token for an account, made on the operator plan (unmetered) when it does not exist yet;
 * an existing account keeps its plan.
 */
export async function issueOperatorToken(settings: Settings, name: string, accountId = OPERATOR_ACCOUNT): Promise<IssuedToken> {
  const { accounts } = await openAccountsFor(settings);
  await accounts.ensure(accountId, 'operator');
  return accounts.issueToken(accountId, name);
}
