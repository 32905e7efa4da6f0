import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { AppError, type Account, type AccountStore } from '@ocr/domain';
import { collectionOf, isDuplicateKey, withoutId } from './mongo';

type AccountDoc = Account & { _id: string };
interface EmailDoc {
  _id: string;
  account_id: string;
}

/**
 * The cluster AccountStore: `accounts` by id and an `account_emails` index whose `_id` is the
 * email, inserted first, so two sign-ups with one email cannot both win (a unique insert is
 * atomic on MongoDB and FerretDB alike; a unique index on a nullable field would not allow
 * several operator accounts without email).
 */
export class MongoAccountStore implements AccountStore {
  private constructor(
    private readonly accounts: Collection<AccountDoc>,
    private readonly emails: Collection<EmailDoc>,
  ) {}

  static open(conn: Connection): MongoAccountStore {
    return new MongoAccountStore(collectionOf<AccountDoc>(conn, 'accounts'), collectionOf<EmailDoc>(conn, 'account_emails'));
  }

  async insertAccount(account: Account): Promise<void> {
    if ((await this.accounts.countDocuments({ _id: account.id }, { limit: 1 })) > 0) throw new AppError('email_taken', `account ${account.id} exists already`);
    if (account.email !== null) {
      try {
        await this.emails.insertOne({ _id: account.email, account_id: account.id });
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('email_taken', 'an account with this email exists already');
        throw err;
      }
    }
    try {
      await this.accounts.insertOne({ ...account, _id: account.id });
    } catch (err) {
      if (account.email !== null) await this.emails.deleteOne({ _id: account.email, account_id: account.id });
      if (isDuplicateKey(err)) throw new AppError('email_taken', `account ${account.id} exists already`);
      throw err;
    }
  }

  async getAccount(id: string): Promise<Account | null> {
    const doc = await this.accounts.findOne({ _id: id });
    return doc ? withoutId(doc) : null;
  }

  async findByEmail(email: string): Promise<Account | null> {
    const entry = await this.emails.findOne({ _id: email });
    return entry ? this.getAccount(entry.account_id) : null;
  }

  async updateAccount(id: string, patch: Partial<Omit<Account, 'id' | 'email'>>): Promise<Account | null> {
    const fields: Record<string, unknown> = { ...patch };
    delete fields['id'];
    delete fields['email'];
    if (Object.keys(fields).length > 0) await this.accounts.updateOne({ _id: id }, { $set: fields });
    return this.getAccount(id);
  }

  async deleteAccount(id: string): Promise<void> {
    const current = await this.getAccount(id);
    if (!current) return;
    if (current.email !== null) await this.emails.deleteOne({ _id: current.email, account_id: id });
    await this.accounts.deleteOne({ _id: id });
  }

  async listAccounts(): Promise<Account[]> {
    const docs = await this.accounts.find().toArray();
    return docs.map((d) => withoutId(d)).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
