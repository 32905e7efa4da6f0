import { createHash, randomBytes } from 'node:crypto';
import { AppError, type TokenStore } from '@ocr/domain';

const TOKEN_PREFIX = 'ocr_';
const PREFIX_SHOWN = 12;

export interface IssuedToken {
  token: string;
  prefix: string;
  accountId: string;
  name: string;
}

/** Tokens carry 256 random bits, so a fast hash is enough to store them safely (no KDF needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenService {
  constructor(private readonly store: TokenStore) {}

  async issue(accountId: string, name: string): Promise<IssuedToken> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const prefix = token.slice(0, PREFIX_SHOWN);
    await this.store.insertToken({
      hash: hashToken(token),
      prefix,
      name,
      account_id: accountId,
      created_at: new Date().toISOString(),
      revoked_at: null,
    });
    return { token, prefix, accountId, name };
  }

  /** The account a token belongs to; a present but unknown or revoked token is 401, never anonymous. */
  async authenticate(token: string): Promise<string> {
    const found = token.length > 0 && token.length <= 256 ? await this.store.findByHash(hashToken(token)) : null;
    if (!found || found.revoked_at) throw new AppError('unauthorized', 'invalid API token');
    return found.account_id;
  }
}
