import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { ApiToken, RevocableTokenStore } from '@ocr/domain';
import { collectionOf, withoutId } from './mongo';

type TokenDoc = ApiToken & { _id: string };

/** The cluster token store: `api_tokens` keyed by the token's SHA-256 (the token itself is never stored). */
export class MongoTokenStore implements RevocableTokenStore {
  private constructor(private readonly tokens: Collection<TokenDoc>) {}

  static async open(conn: Connection): Promise<MongoTokenStore> {
    const store = new MongoTokenStore(collectionOf<TokenDoc>(conn, 'api_tokens'));
    await store.tokens.createIndex({ account_id: 1 });
    return store;
  }

  async insertToken(token: ApiToken): Promise<void> {
    await this.tokens.replaceOne({ _id: token.hash }, { ...token }, { upsert: true });
  }

  async findByHash(hash: string): Promise<ApiToken | null> {
    const doc = await this.tokens.findOne({ _id: hash });
    return doc ? withoutId(doc) : null;
  }

  async listByAccount(accountId: string): Promise<ApiToken[]> {
    const docs = await this.tokens.find({ account_id: accountId }).toArray();
    return docs.map((d) => withoutId(d)).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async revoke(hash: string, at: string): Promise<void> {
    // Only a live token: the first revocation's time stays.
    await this.tokens.updateOne({ _id: hash, revoked_at: null }, { $set: { revoked_at: at } });
  }

  async deleteByAccount(accountId: string): Promise<void> {
    await this.tokens.deleteMany({ account_id: accountId });
  }
}
