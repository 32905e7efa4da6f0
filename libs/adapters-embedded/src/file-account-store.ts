import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type Account, type AccountStore } from '@ocr/domain';
import { isMissing, readJson, writeJsonAtomic } from './json-files';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The embedded AccountStore: a JSON file per account, and an email index of one file per email
 * created exclusively ('wx'), so two sign-ups with one email cannot both win, even from two
 * processes (the service and the operator CLI share the directory).
 */
export class FileAccountStore implements AccountStore {
  private readonly byEmail: string;

  constructor(private readonly dir: string) {
    this.byEmail = join(dir, 'by-email');
  }

  private accountPath(id: string): string {
    if (!ID_PATTERN.test(id)) throw new AppError('invalid_field', 'invalid account id', { field: 'id' });
    return join(this.dir, `${id}.json`);
  }

  private emailPath(email: string): string {
    return join(this.byEmail, createHash('sha256').update(email, 'utf8').digest('hex'));
  }

  async insertAccount(account: Account): Promise<void> {
    await mkdir(this.byEmail, { recursive: true });
    const path = this.accountPath(account.id);
    if (await readJson<Account>(path)) throw new AppError('email_taken', `account ${account.id} exists already`);
    if (account.email !== null) {
      try {
        await writeFile(this.emailPath(account.email), account.id, { flag: 'wx', mode: 0o600 });
      } catch (err) {
        if ((err as { code?: unknown }).code === 'EEXIST') throw new AppError('email_taken', 'an account with this email exists already');
        throw err;
      }
    }
    await writeJsonAtomic(path, account);
  }

  getAccount(id: string): Promise<Account | null> {
    return ID_PATTERN.test(id) ? readJson<Account>(this.accountPath(id)) : Promise.resolve(null);
  }

  async findByEmail(email: string): Promise<Account | null> {
    // The index file holds the bare account id.
    const id = await readFile(this.emailPath(email), 'utf8').catch(() => null);
    return id ? this.getAccount(id.trim()) : null;
  }

  async updateAccount(id: string, patch: Partial<Omit<Account, 'id' | 'email'>>): Promise<Account | null> {
    const current = await this.getAccount(id);
    if (!current) return null;
    const updated = { ...current, ...patch };
    await writeJsonAtomic(this.accountPath(id), updated);
    return updated;
  }

  async deleteAccount(id: string): Promise<void> {
    const current = await this.getAccount(id);
    if (!current) return;
    if (current.email !== null) await unlink(this.emailPath(current.email)).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)));
    await unlink(this.accountPath(id)).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)));
  }

  async listAccounts(): Promise<Account[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const accounts = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readJson<Account>(join(this.dir, n))));
    return accounts.filter((a): a is Account => a !== null).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
