import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import type { ChatMessage, ChatStore, Conversation } from '@ocr/domain';

type Stored = Conversation & { _id?: string };

/** The embedded ChatStore: one NeDB document per job's conversation, in DATA_DIR/db/chats.db. */
export class NedbChatStore implements ChatStore {
  /** Appends to one conversation run one after another, so two questions cannot both create it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(private readonly db: Datastore<Conversation>) {}

  static async open(dir: string): Promise<NedbChatStore> {
    await mkdir(dir, { recursive: true });
    const db = new Datastore<Conversation>({ filename: join(dir, 'chats.db') });
    await db.loadDatabaseAsync();
    await db.ensureIndexAsync({ fieldName: 'job_uuid', unique: true });
    return new NedbChatStore(db);
  }

  async get(jobUuid: string): Promise<Conversation | null> {
    const doc = (await this.db.findOneAsync({ job_uuid: jobUuid })) as Stored | null;
    if (!doc) return null;
    const { _id: _ignored, ...rest } = doc;
    return rest;
  }

  append(jobUuid: string, owner: string, messages: ChatMessage[]): Promise<Conversation> {
    const previous = this.queues.get(jobUuid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendNow(jobUuid, owner, messages));
    this.queues.set(jobUuid, next);
    void next.finally(() => {
      if (this.queues.get(jobUuid) === next) this.queues.delete(jobUuid);
    }).catch(() => undefined);
    return next;
  }

  private async appendNow(jobUuid: string, owner: string, messages: ChatMessage[]): Promise<Conversation> {
    const existing = await this.get(jobUuid);
    if (!existing) {
      const created: Conversation = { conversation: randomUUID(), job_uuid: jobUuid, owner, messages: [...messages] };
      await this.db.insertAsync({ ...created });
      return created;
    }
    await this.db.updateAsync({ job_uuid: jobUuid }, { $push: { messages: { $each: messages } } }, {});
    return { ...existing, messages: [...existing.messages, ...messages] };
  }

  async delete(jobUuid: string): Promise<void> {
    await this.db.removeAsync({ job_uuid: jobUuid }, { multi: true });
  }

  async close(): Promise<void> {
    await this.db.compactDatafileAsync().catch(() => undefined);
  }
}
