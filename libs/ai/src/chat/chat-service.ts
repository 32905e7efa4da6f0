import type { AnswerMode, ChatMessage, ChatStore, Citation, Conversation, JobRecord } from '@ocr/domain';
import { errorMessage } from '@ocr/domain';
import type { JobView } from '@ocr/jobs';
import type { ModelClient } from '../model-client';
import { Bm25, tokenize } from './bm25';
import { chunkPages } from './chunks';
import { verifyCitations, type CitablePage } from './citations';
import { ExtractiveAnswerer, ModelAnswerer, type Answer, type AnswerInput, type Answerer } from './answerers';

export interface ChatLimits {
  chunkChars: number;
  topK: number;
  historyMessages: number;
  extractiveSentences: number;
}

export interface ChatReply {
  conversation: string;
  message: ChatMessage & { role: 'assistant'; citations: Citation[]; mode: AnswerMode };
}

export interface ChatLogger {
  warn(obj: object, msg: string): void;
}

const nowIso = () => new Date().toISOString();

/**
 * Questions about a finished job: BM25 over page chunks, then the chat model answers from the
 * retrieved chunks only (or, without one, the best sentences are the answer). Citations are kept
 * only if their quote is on the cited page.
 */
export class ChatService {
  private readonly model: Answerer | null;
  private readonly extractive: Answerer;

  constructor(
    private readonly store: ChatStore,
    client: ModelClient,
    private readonly limits: ChatLimits,
    private readonly log: ChatLogger,
  ) {
    this.model = client.configured('chat') ? new ModelAnswerer(client, limits.topK) : null;
    this.extractive = new ExtractiveAnswerer(limits.extractiveSentences);
  }

  get modelConfigured(): boolean {
    return this.model !== null;
  }

  /** The job's conversation as the API shows it (no conversation yet: an empty one). */
  async history(job: JobRecord): Promise<{ conversation: string | null; job: string; messages: ChatMessage[] }> {
    const found: Conversation | null = await this.store.get(job.uuid);
    return { conversation: found?.conversation ?? null, job: job.uuid, messages: found?.messages ?? [] };
  }

  async ask(job: JobRecord, view: JobView, question: string): Promise<ChatReply> {
    const pages: CitablePage[] = view.pages
      .filter((p) => p.status === 'done')
      .map((p) => ({ page: p.index + 1, text: p.text, blocks: p.blocks }));
    const all = chunkPages(pages, this.limits.chunkChars);
    const index = new Bm25(all.map((c) => tokenize(c.text)));
    const retrieved = index.top(tokenize(question), this.limits.topK).map((r) => all[r.doc]!);
    const previous = (await this.store.get(job.uuid))?.messages ?? [];
    const history = this.limits.historyMessages > 0 ? previous.slice(-this.limits.historyMessages) : [];
    const input: AnswerInput = { question, retrieved, all, index, history };

    const notes: string[] = [];
    let answer: Answer;
    if (!this.model) {
      notes.push('no chat model is configured on this server (AI_CHAT_MODEL); this answer is the best-matching sentences of the document');
      answer = await this.extractive.answer(input);
    } else {
      try {
        answer = await this.model.answer(input);
      } catch (err) {
        this.log.warn({ job: job.uuid, err: errorMessage(err) }, 'chat model failed; answering extractively');
        notes.push(`the chat model failed (${errorMessage(err)}); this answer is the best-matching sentences of the document`);
        answer = await this.extractive.answer(input);
      }
    }
    const { citations, dropped } = verifyCitations(answer.citations, pages);
    if (dropped.length > 0) notes.push(`${dropped.length} citation(s) dropped: the quoted text is not on the cited page`);

    const asked: ChatMessage = { role: 'user', content: question, created_at: nowIso() };
    const reply: ChatReply['message'] = {
      role: 'assistant',
      content: answer.content,
      citations,
      mode: answer.mode,
      created_at: nowIso(),
      ...(notes.length ? { notes } : {}),
    };
    const conversation = await this.store.append(job.uuid, job.owner, [asked, reply]);
    return { conversation: conversation.conversation, message: reply };
  }
}
