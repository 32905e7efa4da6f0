import { z } from 'zod';
import { AppError, type JobRecord } from '@ocr/domain';
import type { ChatReply } from '@ocr/ai';
import type { ChatApi, ChatHistory, IngestApi } from './services';

/** Questions about a caller's finished job, and the job's conversation. */
export class ChatFlow {
  private readonly bodySchema: z.ZodType<{ message: string }>;

  constructor(
    private readonly ingest: IngestApi,
    private readonly chat: ChatApi,
    maxMessageChars: number,
  ) {
    this.bodySchema = z.object({
      message: z
        .string()
        .trim()
        .min(1, 'message is empty')
        .max(maxMessageChars, `message is longer than ${maxMessageChars} characters (CHAT_MAX_MESSAGE_CHARS)`),
    });
  }

  async ask(owner: string, uuid: string, body: unknown): Promise<ChatReply> {
    const job = await this.ingest.getOwned(uuid, owner);
    if (job.status !== 'done') {
      const why = job.status === 'failed' ? `job failed: ${job.error ?? 'unknown reason'}` : `job is ${job.status}`;
      throw new AppError('not_ready', `${why}; chat is available once the job is done`, { status: job.status });
    }
    const parsed = this.bodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = issue?.path.length ? issue.message : 'send JSON {"message": "<your question>"}';
      throw new AppError('invalid_field', issue?.code === 'invalid_type' ? 'send JSON {"message": "<your question>"}' : message, { field: 'message' });
    }
    return this.chat.ask(job, parsed.data.message);
  }

  async history(owner: string, uuid: string): Promise<ChatHistory> {
    const job: JobRecord = await this.ingest.getOwned(uuid, owner);
    return this.chat.history(job);
  }
}
