import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiToken, TokenStore } from '@ocr/domain';
import { HASH_PATTERN, readJson, writeJsonAtomic } from './json-files';

/**
 * The embedded TokenStore: one small JSON file per token hash. A file per token lets
 * `make token` add a token while the service runs (no shared database file between processes).
 */
export class FileTokenStore implements TokenStore {
  constructor(private readonly dir: string) {}

  async insertToken(token: ApiToken): Promise<void> {
    if (!HASH_PATTERN.test(token.hash)) throw new Error('token hash must be hex sha-256');
    await mkdir(this.dir, { recursive: true });
    await writeJsonAtomic(join(this.dir, `${token.hash}.json`), token);
  }

  findByHash(hash: string): Promise<ApiToken | null> {
    return HASH_PATTERN.test(hash) ? readJson<ApiToken>(join(this.dir, `${hash}.json`)) : Promise.resolve(null);
  }

  async listByAccount(accountId: string): Promise<ApiToken[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const tokens = await Promise.all(
      names.filter((n) => n.endsWith('.json')).map((n) => this.findByHash(n.slice(0, -'.json'.length))),
    );
    return tokens.filter((t): t is ApiToken => t !== null && t.account_id === accountId);
  }
}
