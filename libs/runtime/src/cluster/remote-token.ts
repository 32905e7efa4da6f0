import type { Settings } from '@ocr/config';
import type { IssuedToken } from '@ocr/auth';
import { OPERATOR_ACCOUNT } from '../operator-token';
import { authBillingClient } from './common';

/**
 * `make token` against a running cluster: auth-billing makes the account (operator plan, when it
 * does not exist yet) and issues the token, as the standalone CLI does on its files.
 */
export async function issueTokenThroughAuthBilling(settings: Settings, name: string, accountId = OPERATOR_ACCOUNT): Promise<IssuedToken> {
  const billing = authBillingClient(settings);
  try {
    await billing.ensure(accountId, 'operator');
    return await billing.issueToken(accountId, name);
  } finally {
    billing.close();
  }
}
