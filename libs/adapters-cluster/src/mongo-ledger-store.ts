import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { LedgerEntry, LedgerStore } from '@ocr/domain';
import { collectionOf, isDuplicateKey } from './mongo';

interface AppendDoc {
  _id: string;
  written: Date;
  entries: LedgerEntry[];
}

/** How far back a read looks again for appends another writer made with a slightly older clock. */
const REREAD_WINDOW_MS = 120_000;

/**
 * The cluster LedgerStore: one `ledger` document per append, so an append is all or none without
 * transactions. An append of keyed entries has `_id` derived from the keys: a replay (a settle
 * retried, or run by a second process) is a duplicate insert, i.e. a no-op; readers also read a
 * key once. Reads ask for documents written since the last read minus a window (writers' clocks
 * and in-flight inserts), skipping the ones already seen.
 */
export class MongoLedgerStore implements LedgerStore {
  private since = new Date(0);
  /** Appends read inside the re-read window, by `_id` (older ones are not asked for again). */
  private recent = new Map<string, number>();
  private readonly keys = new Set<string>();

  private constructor(private readonly appends: Collection<AppendDoc>) {}

  static async open(conn: Connection): Promise<MongoLedgerStore> {
    const store = new MongoLedgerStore(collectionOf<AppendDoc>(conn, 'ledger'));
    await store.appends.createIndex({ written: 1 });
    return store;
  }

  async append(entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const keyed = entries.every((e) => typeof e.key === 'string');
    const _id = keyed ? `keys:${entries.map((e) => e.key).join('|')}` : `append:${randomUUID()}`;
    try {
      await this.appends.insertOne({ _id, written: new Date(), entries });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the same keyed append happened before
    }
  }

  async readNew(): Promise<LedgerEntry[]> {
    const from = new Date(this.since.getTime() - REREAD_WINDOW_MS);
    const docs = await this.appends.find({ written: { $gte: from } }).toArray();
    docs.sort((a, b) => a.written.getTime() - b.written.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const out: LedgerEntry[] = [];
    for (const doc of docs) {
      if (this.recent.has(doc._id)) continue;
      this.recent.set(doc._id, doc.written.getTime());
      if (doc.written > this.since) this.since = doc.written;
      for (const stored of doc.entries) {
        // The driver stores an absent key as null: give back the entry as it was appended.
        const { key, ...entry } = stored;
        if (typeof key !== 'string') {
          out.push(entry);
          continue;
        }
        if (this.keys.has(key)) continue;
        this.keys.add(key);
        out.push({ ...entry, key });
      }
    }
    const horizon = this.since.getTime() - REREAD_WINDOW_MS;
    for (const [id, at] of this.recent) if (at < horizon) this.recent.delete(id);
    return out;
  }

  async close(): Promise<void> {}
}
