import type { ChatMessage, ChatStore, Citation, Conversation, JobRecord, AnswerMode } from '@ocr/domain';
import { errorMessage } from '@ocr/domain';
import type { JobView } from '@ocr/jobs';
import type { ModelClient } from '../model-client';
import { Bm25, tokenize } from './bm25';
import { chunkPages, type Chunk } from './chunks';
import { verifyCitations, type CitablePage, type CitationCandidate } from './citations';
import { extractiveAnswer } from './extractive';
import { buildMessages, newFenceTag, parseAnswer } from './prompt';

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
  constructor(
    private readonly store: ChatStore,
    private readonly client: ModelClient,
    private readonly limits: ChatLimits,
    private readonly log: ChatLogger,
  ) {}

  get modelConfigured(): boolean {
    return this.client.configured('chat');
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
    const chunks = chunkPages(pages, this.limits.chunkChars);
    const index = new Bm25(chunks.map((c) => tokenize(c.text)));
    const retrieved = index.top(tokenize(question), this.limits.topK).map((r) => chunks[r.doc]!);
    const previous = (await this.store.get(job.uuid))?.messages ?? [];

    const notes: string[] = [];
    let mode: AnswerMode = 'model';
    let content: string;
    let candidates: CitationCandidate[];
    if (this.client.configured('chat')) {
      try {
        ({ content, candidates } = await this.askModel(question, retrieved, previous));
      } catch (err) {
        this.log.warn({ job: job.uuid, err: errorMessage(err) }, 'chat model failed; answering extractively');
        notes.push(`the chat model failed (${errorMessage(err)}); this answer is the best-matching sentences of the document`);
        mode = 'extractive';
        ({ content, citations: candidates } = extractiveAnswer(question, retrieved, index, this.limits.extractiveSentences));
      }
    } else {
      mode = 'extractive';
      notes.push('no chat model is configured on this server (AI_CHAT_MODEL); this answer is the best-matching sentences of the document');
      ({ content, citations: candidates } = extractiveAnswer(question, retrieved, index, this.limits.extractiveSentences));
    }
    const { citations, dropped } = verifyCitations(candidates, pages);
    if (dropped.length > 0) notes.push(`${dropped.length} citation(s) dropped: the quoted text is not on the cited page`);

    const asked: ChatMessage = { role: 'user', content: question, created_at: nowIso() };
    const answer: ChatReply['message'] = { role: 'assistant', content, citations, mode, created_at: nowIso(), ...(notes.length ? { notes } : {}) };
    const conversation = await this.store.append(job.uuid, job.owner, [asked, answer]);
    return { conversation: conversation.conversation, message: answer };
  }

  private async askModel(
    question: string,
    retrieved: readonly Chunk[],
    previous: readonly ChatMessage[],
  ): Promise<{ content: string; candidates: CitationCandidate[] }> {
    const history = this.limits.historyMessages > 0 ? previous.slice(-this.limits.historyMessages) : [];
    const messages = buildMessages(question, retrieved, history, newFenceTag());
    let parsed: ReturnType<typeof parseAnswer> | null = null;
    await this.client.complete('chat', messages, {
      stream: true,
      validate: (text) => {
        parsed = parseAnswer(text);
      },
    });
    const answer = parsed as ReturnType<typeof parseAnswer> | null;
    if (!answer) throw new Error('chat model answer could not be read');
    return { content: answer.answer, candidates: answer.citations };
  }
}
