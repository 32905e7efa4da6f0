import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { JobRecord } from '@ocr/domain';
import type { ChatReply } from '@ocr/ai';
import type { ChatApi, ChatHistory } from '@ocr/app';
import { GrpcClient, type ClientSettings } from './client';
import { unary, type ServerLogger } from './server';

const job = (json: string): JobRecord => JSON.parse(json) as JobRecord;

/** The Chat service's handlers over this process's chat service. */
export function chatHandlers(chat: ChatApi, log: ServerLogger): UntypedServiceImplementation {
  return {
    Ask: unary(log, async (r: { job_json: string; message: string }) => ({ json: JSON.stringify(await chat.ask(job(r.job_json), r.message)) })),
    History: unary(log, async (r: { job_json: string }) => ({ json: JSON.stringify(await chat.history(job(r.job_json))) })),
  };
}

/** chat seen from the gateway. */
export class ChatClient implements ChatApi {
  readonly grpc: GrpcClient;

  constructor(
    settings: ClientSettings,
    /** A model-written answer can take as long as the model allows (AI_TIMEOUT_SECONDS and retries). */
    private readonly answerMs: number,
  ) {
    this.grpc = new GrpcClient('Chat', 'chat', settings);
  }

  async ask(j: JobRecord, message: string): Promise<ChatReply> {
    const r = await this.grpc.unary<object, { json: string }>('Ask', { job_json: JSON.stringify(j), message }, this.answerMs);
    return JSON.parse(r.json) as ChatReply;
  }

  async history(j: JobRecord): Promise<ChatHistory> {
    return JSON.parse((await this.grpc.unary<object, { json: string }>('History', { job_json: JSON.stringify(j) })).json) as ChatHistory;
  }

  close(): void {
    this.grpc.close();
  }
}
