import mongoose, { type Connection } from 'mongoose';
import type { Collection, Db, Document } from 'mongodb';

export interface MongoOptions {
  /** How long an operation waits for a reachable server before it fails (then: 503, not a hang). */
  serverSelectionTimeoutMs?: number;
}

/**
 * One mongoose connection for every Mongo store of a process. Commands are not buffered while
 * disconnected: a database that is down fails requests at once (the edge answers 503) instead of
 * queueing them behind a reconnect.
 */
export async function connectMongo(uri: string, options: MongoOptions = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    bufferCommands: false,
  });
  await conn.asPromise();
  return conn;
}

/**
 * The stores work on the driver's typed collections under the mongoose connection: documents
 * here are plain records keyed by a string `_id`, and mongoose's model typings cost the compiler
 * gigabytes for no checking we need.
 */
export function collectionOf<T extends Document & { _id: string }>(conn: Connection, name: string): Collection<T> {
  const db: Db | undefined = conn.db;
  if (!db) throw new Error('the MongoDB connection is not open');
  return db.collection<T>(name);
}

/** E11000: an insert lost the race for a unique key (the idempotent writes rely on it). */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, writeErrors } = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  return code === 11000 || (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000));
}

/** Drops mongo's own `_id` from a stored document. */
export function withoutId<T extends object>(doc: T & { _id?: unknown }): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}
