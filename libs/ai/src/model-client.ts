import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Settings } from '@ocr/config';
import { errorMessage } from '@ocr/domain';

export type ModelRole = 'vision' | 'chat' | 'translate';

export interface ModelConfig {
  baseUrl: string;
  apiKey: string;
  models: Record<ModelRole, string>;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  maxTokens: number;
}

export function modelConfig(settings: Settings): ModelConfig {
  return {
    baseUrl: settings.AI_BASE_URL.trim(),
    apiKey: settings.AI_API_KEY,
    models: {
      vision: settings.AI_VISION_MODEL.trim(),
      chat: settings.AI_CHAT_MODEL.trim(),
      translate: (settings.AI_TRANSLATE_MODEL || settings.AI_CHAT_MODEL).trim(),
    },
    timeoutMs: settings.AI_TIMEOUT_SECONDS * 1000,
    maxRetries: settings.AI_MAX_RETRIES,
    retryBaseMs: settings.AI_RETRY_BASE_MS,
    maxTokens: settings.AI_MAX_TOKENS,
  };
}

/** Which setting turns a role on, for messages that tell the operator what to set. */
export const ROLE_SETTING: Record<ModelRole, string> = {
  vision: 'AI_VISION_MODEL',
  chat: 'AI_CHAT_MODEL',
  translate: 'AI_TRANSLATE_MODEL (or AI_CHAT_MODEL)',
};

/** A model request that failed for good; `reason` is short enough to show on a page or job. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

export interface ModelLogger {
  warn(obj: object, msg: string): void;
}

export interface CompleteOptions {
  /** Read the answer as a stream (server-sent events); the timeout then applies between chunks. */
  stream?: boolean;
  /** Epoch ms after which no new attempt starts (the page's own time limit). */
  deadline?: number;
  /** Throws when the text is unusable (garbage): the request is retried like a 5xx. */
  validate?: (text: string) => void;
  temperature?: number;
  /** Called when the answer stopped at AI_MAX_TOKENS (finish_reason 'length'): it is incomplete. */
  onTruncated?: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Statuses worth another try: timeouts, conflicts, rate limits and server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Maps whatever the openai client threw to a ModelError that says whether to try again. */
export function classifyError(err: unknown): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ModelError('model server timed out', true);
  if (err instanceof OpenAI.APIUserAbortError) return new ModelError('model server stopped answering (stream stalled)', true);
  if (err instanceof OpenAI.APIConnectionError) return new ModelError(`model server unreachable (${errorMessage(err.cause ?? err)})`, true);
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const short = errorMessage(err).slice(0, 200);
    return new ModelError(`model server answered ${err.status}: ${short}`, retryableStatus(err.status), retryAfterMs(err.headers));
  }
  // A body that is not the protocol's JSON (a proxy's HTML page, truncated output) lands here.
  return new ModelError(`model server sent an unusable answer (${errorMessage(err).slice(0, 200)})`, true);
}

/**
 * The one way the platform talks to a model server: OpenAI chat completions, with our own retry loop
 * (the client's is off) so that every limit is a named setting and a page's deadline is respected.
 */
export class ModelClient {
  private readonly client: OpenAI | null;

  constructor(
    private readonly config: ModelConfig,
    private readonly log: ModelLogger,
  ) {
    this.client = config.baseUrl
      ? new OpenAI({ baseURL: config.baseUrl, apiKey: config.apiKey || 'none', maxRetries: 0, timeout: config.timeoutMs })
      : null;
  }

  configured(role: ModelRole): boolean {
    return this.client !== null && this.config.models[role] !== '';
  }

  modelFor(role: ModelRole): string {
    return this.config.models[role];
  }

  async complete(role: ModelRole, messages: ChatCompletionMessageParam[], opts: CompleteOptions = {}): Promise<string> {
    if (!this.client || !this.configured(role)) {
      throw new ModelError(`no ${role} model is configured (set AI_BASE_URL and ${ROLE_SETTING[role]})`, false);
    }
    let last: ModelError | null = null;
    let tries = 0;
    for (let attempt = 0; attempt <= this.config.maxRetries; attempt++) {
      if (attempt > 0) {
        const backoff = last?.retryAfterMs ?? this.config.retryBaseMs * 2 ** (attempt - 1);
        const wait = Math.min(backoff, this.config.timeoutMs);
        if (opts.deadline !== undefined && Date.now() + wait + 1000 > opts.deadline) break;
        await sleep(wait);
      }
      const left = opts.deadline === undefined ? Number.POSITIVE_INFINITY : opts.deadline - Date.now();
      if (attempt > 0 && left < 1000) break;
      tries++;
      try {
        const text = await this.once(this.client, role, messages, opts, Math.min(this.config.timeoutMs, Math.max(1000, left)));
        opts.validate?.(text);
        return text;
      } catch (err) {
        last = classifyError(err);
        this.log.warn({ role, attempt: attempt + 1, err: last.message, retryable: last.retryable }, 'model request failed');
        if (!last.retryable) break;
      }
    }
    const count = last?.retryable ? ` after ${tries} ${tries === 1 ? 'try' : 'tries'}` : '';
    throw new ModelError(`${last?.message ?? 'model request failed'}${count}`, false);
  }

  private async once(
    client: OpenAI,
    role: ModelRole,
    messages: ChatCompletionMessageParam[],
    opts: CompleteOptions,
    timeoutMs: number,
  ): Promise<string> {
    const base = {
      model: this.config.models[role],
      messages,
      max_tokens: this.config.maxTokens,
      temperature: opts.temperature ?? 0,
    };
    if (!opts.stream) {
      const completion = await client.chat.completions.create({ ...base, stream: false }, { timeout: timeoutMs });
      const content: unknown = completion?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new ModelError('model server sent an unusable answer (no message content)', true);
      if (completion.choices[0]?.finish_reason === 'length') opts.onTruncated?.();
      return content;
    }
    const stream = await client.chat.completions.create({ ...base, stream: true }, { timeout: timeoutMs });
    // The request timeout ends once headers arrive; a stream that goes quiet is cut here instead.
    let idle: NodeJS.Timeout | undefined;
    let stalled = false;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        stream.controller.abort();
      }, this.config.timeoutMs);
    };
    let text = '';
    let finished = false;
    try {
      arm();
      for await (const chunk of stream) {
        arm();
        const choice = chunk?.choices?.[0];
        const delta: unknown = choice?.delta?.content;
        if (typeof delta === 'string') text += delta;
        if (choice?.finish_reason) finished = true;
        if (choice?.finish_reason === 'length') opts.onTruncated?.();
      }
    } catch (err) {
      if (!stalled) throw err;
    } finally {
      clearTimeout(idle);
    }
    // An aborted stream ends quietly with what it had: a partial answer must not pass for a whole one.
    if (stalled) throw new ModelError('model server stopped answering (stream stalled)', true);
    if (!finished) throw new ModelError('model server ended the stream before the answer was complete', true);
    return text;
  }
}

/** Fails validation for empty output: an empty answer is treated like a server error and retried. */
export function requireText(text: string): void {
  if (text.trim() === '') throw new ModelError('model server sent an empty answer', true);
}

/** Models often wrap a whole answer in a ``` fence although told not to: unwrap it. */
export function unfence(text: string): string {
  const m = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return (m ? m[1] ?? '' : text).trim();
}
