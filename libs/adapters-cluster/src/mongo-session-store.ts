import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { Session, SessionStore } from '@ocr/domain';
import { collectionOf, withoutId } from './mongo';

type SessionDoc = Session & { _id: string };

/**
 * The cluster SessionStore: `sessions` keyed by the cookie's SHA-256. No TTL index (FerretDB has
 * none): expiry is checked on read by the account service, like the embedded store.
 */
export class MongoSessionStore implements SessionStore {
  private constructor(private readonly sessions: Collection<SessionDoc>) {}

  static async open(conn: Connection): Promise<MongoSessionStore> {
    const store = new MongoSessionStore(collectionOf<SessionDoc>(conn, 'sessions'));
    await store.sessions.createIndex({ account_id: 1 });
    return store;
  }

  async insertSession(session: Session): Promise<void> {
    await this.sessions.replaceOne({ _id: session.hash }, { ...session }, { upsert: true });
  }

  async findSession(hash: string): Promise<Session | null> {
    const doc = await this.sessions.findOne({ _id: hash });
    return doc ? withoutId(doc) : null;
  }

  async deleteSession(hash: string): Promise<void> {
    await this.sessions.deleteOne({ _id: hash });
  }

  async deleteByAccount(accountId: string): Promise<void> {
    await this.sessions.deleteMany({ account_id: accountId });
  }
}
