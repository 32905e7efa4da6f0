import type { Settings } from '@ocr/config';
import { TokenService, type IssuedToken } from '@ocr/auth';
import { openTokenStore } from './ports';

/** The account that operator tokens belong to until accounts exist. */
export const OPERATOR_ACCOUNT = 'operator';

export function issueOperatorToken(settings: Settings, name: string, accountId = OPERATOR_ACCOUNT): Promise<IssuedToken> {
  return new TokenService(openTokenStore(settings)).issue(accountId, name);
}
