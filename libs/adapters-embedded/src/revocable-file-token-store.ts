import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RevocableTokenStore } from '@ocr/domain';
import { FileTokenStore } from './file-token-store';
import { HASH_PATTERN, isMissing, writeJsonAtomic } from './json-files';

/** FileTokenStore (same files, so `make token` keeps working) plus revocation and removal. */
export class RevocableFileTokenStore extends FileTokenStore implements RevocableTokenStore {
  constructor(private readonly root: string) {
    super(root);
  }

  async revoke(hash: string, at: string): Promise<void> {
    const token = await this.findByHash(hash);
    if (!token || token.revoked_at) return;
    await writeJsonAtomic(join(this.root, `${hash}.json`), { ...token, revoked_at: at });
  }

  async deleteByAccount(accountId: string): Promise<void> {
    for (const token of await this.listByAccount(accountId)) {
      if (!HASH_PATTERN.test(token.hash)) continue;
      await unlink(join(this.root, `${token.hash}.json`)).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)));
    }
  }
}
