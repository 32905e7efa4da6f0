import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session, SessionStore } from '@ocr/domain';
import { HASH_PATTERN, isMissing, readJson, writeJsonAtomic } from './json-files';

/** The embedded SessionStore: a JSON file per session hash (the cookie itself is never stored). */
export class FileSessionStore implements SessionStore {
  constructor(private readonly dir: string) {}

  async insertSession(session: Session): Promise<void> {
    if (!HASH_PATTERN.test(session.hash)) throw new Error('session hash must be hex sha-256');
    await mkdir(this.dir, { recursive: true });
    await writeJsonAtomic(join(this.dir, `${session.hash}.json`), session);
  }

  findSession(hash: string): Promise<Session | null> {
    return HASH_PATTERN.test(hash) ? readJson<Session>(join(this.dir, `${hash}.json`)) : Promise.resolve(null);
  }

  async deleteSession(hash: string): Promise<void> {
    if (!HASH_PATTERN.test(hash)) return;
    await unlink(join(this.dir, `${hash}.json`)).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)));
  }

  async deleteByAccount(accountId: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const session = await readJson<Session>(join(this.dir, name));
      if (session?.account_id === accountId) await this.deleteSession(session.hash);
    }
  }
}
