import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { ChatMessage, ChatStore, Conversation } from '@ocr/domain';
import { collectionOf, isDuplicateKey } from './mongo';

interface ChatDoc {
  _id: string;
  conversation: string;
  owner: string;
}
interface MessagesDoc {
  _id: string;
  job_uuid: string;
  messages: ChatMessage[];
}

let appendSeq = 0;

/** Sorts appends in the order they were made: time, then this process's counter, then a tiebreak. */
function appendId(): string {
  appendSeq = (appendSeq + 1) % 1e9;
  return `${Date.now().toString().padStart(15, '0')}:${appendSeq.toString().padStart(9, '0')}:${randomUUID().slice(0, 8)}`;
}

/**
 * The cluster ChatStore: a `chats` document per job (its conversation id, created by a unique
 * insert so two first questions agree on one id) and one `chat_messages` document per append,
 * so appends are inserts, never a `$push` (FerretDB v1 loses concurrent updates of one document).
 */
export class MongoChatStore implements ChatStore {
  private constructor(
    private readonly chats: Collection<ChatDoc>,
    private readonly batches: Collection<MessagesDoc>,
  ) {}

  static async open(conn: Connection): Promise<MongoChatStore> {
    const store = new MongoChatStore(collectionOf<ChatDoc>(conn, 'chats'), collectionOf<MessagesDoc>(conn, 'chat_messages'));
    await store.batches.createIndex({ job_uuid: 1 });
    return store;
  }

  async get(jobUuid: string): Promise<Conversation | null> {
    const chat = await this.chats.findOne({ _id: jobUuid });
    if (!chat) return null;
    const batches = await this.batches.find({ job_uuid: jobUuid }).toArray();
    batches.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    return { conversation: chat.conversation, job_uuid: jobUuid, owner: chat.owner, messages: batches.flatMap((b) => b.messages) };
  }

  async append(jobUuid: string, owner: string, messages: ChatMessage[]): Promise<Conversation> {
    try {
      await this.chats.insertOne({ _id: jobUuid, conversation: randomUUID(), owner });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the conversation exists: append to it
    }
    await this.batches.insertOne({ _id: appendId(), job_uuid: jobUuid, messages });
    const conversation = await this.get(jobUuid);
    if (!conversation) throw new Error(`conversation of job ${jobUuid} vanished while appending`);
    return conversation;
  }

  async delete(jobUuid: string): Promise<void> {
    await this.batches.deleteMany({ job_uuid: jobUuid });
    await this.chats.deleteOne({ _id: jobUuid });
  }

  async close(): Promise<void> {}
}
