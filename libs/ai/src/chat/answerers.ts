import type { AnswerMode, ChatMessage } from '@ocr/domain';
import type { ModelClient } from '../model-client';
import type { Bm25 } from './bm25';
import type { Chunk } from './chunks';
import type { CitationCandidate } from './citations';
import { extractiveAnswer } from './extractive';
import { buildMessages, newFenceTag, parseAnswer, type ModelAnswer } from './prompt';

export interface AnswerInput {
  question: string;
  /** The chunks retrieved for the question, best first (may be empty). */
  retrieved: readonly Chunk[];
  /** Every chunk of the document, for answerers that want context when retrieval found nothing. */
  all: readonly Chunk[];
  index: Bm25;
  history: readonly ChatMessage[];
}

export interface Answer {
  content: string;
  /** Unchecked: the chat service verifies them against the pages. */
  citations: CitationCandidate[];
  mode: AnswerMode;
}

/** Writes an answer from retrieved passages (the DESIGN's Answerer port: model-backed or extractive). */
export interface Answerer {
  readonly mode: AnswerMode;
  answer(input: AnswerInput): Promise<Answer>;
}

export class ExtractiveAnswerer implements Answerer {
  readonly mode = 'extractive' as const;

  constructor(private readonly maxSentences: number) {}

  async answer(input: AnswerInput): Promise<Answer> {
    const { content, citations } = extractiveAnswer(input.question, input.retrieved, input.index, this.maxSentences);
    return { content, citations, mode: this.mode };
  }
}

export class ModelAnswerer implements Answerer {
  readonly mode = 'model' as const;

  constructor(
    private readonly client: ModelClient,
    private readonly topK: number,
  ) {}

  async answer(input: AnswerInput): Promise<Answer> {
    // A question that shares no word with the text ("what is this about?") gets the document's start.
    const context = input.retrieved.length > 0 ? input.retrieved : input.all.slice(0, this.topK);
    const messages = buildMessages(input.question, context, input.history, newFenceTag());
    let parsed: ModelAnswer | null = null;
    await this.client.complete('chat', messages, {
      stream: true,
      validate: (text) => {
        parsed = parseAnswer(text);
      },
    });
    const answer = parsed as ModelAnswer | null;
    if (!answer) throw new Error('chat model answer could not be read');
    return { content: answer.answer, citations: answer.citations, mode: this.mode };
  }
}
