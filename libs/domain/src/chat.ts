import type { BBox } from './geometry';

/** A place in the document an answer rests on: 1-based page, a verbatim snippet of its text, its box. */
export interface Citation {
  page: number;
  snippet: string;
  /** Union of the snippet's word boxes on that page, in the page's pixels; null if not locatable. */
  bbox: BBox | null;
}

/**
 * How an assistant message was produced: 'model' (the chat model, from retrieved passages) or
 * 'extractive' (the best-matching sentences themselves: no chat model configured, or it failed).
 */
export type AnswerMode = 'model' | 'extractive';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  created_at: string;
  /** Assistant messages only. */
  citations?: Citation[];
  mode?: AnswerMode;
  /** Assistant messages only: why the answer is extractive, or what was dropped. */
  notes?: string[];
}

export interface Conversation {
  /** One conversation per job. */
  conversation: string;
  job_uuid: string;
  owner: string;
  messages: ChatMessage[];
}

/** Chat history, one conversation per job; deleted with its job. */
export interface ChatStore {
  get(jobUuid: string): Promise<Conversation | null>;
  /** Appends messages, creating the conversation (with a new id) on first use; returns it. */
  append(jobUuid: string, owner: string, messages: ChatMessage[]): Promise<Conversation>;
  delete(jobUuid: string): Promise<void>;
  close(): Promise<void>;
}
