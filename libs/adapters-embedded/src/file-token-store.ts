import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiToken, TokenStore } from '@ocr/domain';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The embedded TokenStore: one small JSON file per token hash. A file per token lets
 * `make token` add a token while the service runs (no shared database file between processes).
 */
export class FileTokenStore implements TokenStore {
  constructor(private readonly dir: string) {}

  async insertToken(token: ApiToken): Promise<void> {
    if (!HASH_PATTERN.test(token.hash)) throw new Error('token hash must be hex sha-256');
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${token.hash}.json`);
    const tmp = `${target}.tmp`;
    await writeFile(tmp, JSON.stringify(token), { mode: 0o600 });
    await rename(tmp, target);
  }

  async findByHash(hash: string): Promise<ApiToken | null> {
    if (!HASH_PATTERN.test(hash)) return null;
    try {
      return JSON.parse(await readFile(join(this.dir, `${hash}.json`), 'utf8')) as ApiToken;
    } catch {
      return null;
    }
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
