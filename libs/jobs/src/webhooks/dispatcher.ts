import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { errorMessage, type JobRecord, type JobStore, type WebhookAttempt, type WebhookState } from '@ocr/domain';
import type { JobLogger } from '../job-service';
import type { AddressPolicy } from './address-guard';
import { webhookHeaders } from './signature';

export interface WebhookSettings {
  /** One attempt's limit: connect, send, and the receiver's answer. */
  timeoutMs: number;
  /** Wait before the first retry; each further retry waits twice as long as the one before... */
  retryInitialMs: number;
  /** ...but never longer than this. */
  retryMaxDelayMs: number;
  /** No attempt starts later than this after the first: then the delivery is `failed`. */
  retryForMs: number;
}

/** The signing secret of the job's owner (accounts only: anonymous jobs cannot have a callback). */
export type SecretLookup = (owner: string) => Promise<string | null>;

/** What the receiver gets: the job's summary; the full job is one authenticated GET away. */
export function webhookPayload(job: JobRecord): Record<string, unknown> {
  return {
    type: job.status === 'done' ? 'job.done' : 'job.failed',
    timestamp: job.finished_at ?? new Date().toISOString(),
    data: {
      uuid: job.uuid,
      status: job.status,
      tier: job.options.tier,
      language: job.options.language,
      tool: job.options.tool,
      page_count: job.page_count,
      pages_done: job.pages_done,
      pages_failed: job.pages_failed,
      ...(job.source_pages ? { source_pages: job.source_pages } : {}),
      error: job.error,
      created_at: job.created_at,
      finished_at: job.finished_at,
      url: `/api/v1/ocr/${job.uuid}/`,
    },
  };
}

/**
 * Delivers each finished job's callback, signed, until the receiver answers 2xx or the retry window
 * closes. The state of every delivery lives on the job record (`webhook`), written before and after
 * each attempt, so a restart picks up where it was (resume), and the owner sees the attempts in the
 * job JSON. Retries wait retryInitialMs, then twice as long each time, up to retryMaxDelayMs.
 */
export class WebhookDispatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<string>();
  private closed = false;

  constructor(
    private readonly store: JobStore,
    private readonly secretFor: SecretLookup,
    private readonly policy: AddressPolicy,
    private readonly settings: WebhookSettings,
    private readonly log: JobLogger,
  ) {}

  /** A job finished: its delivery starts now (no-op without a callback_url or when already started). */
  async jobFinished(job: JobRecord): Promise<void> {
    if (!job.callback_url || job.webhook) return;
    const webhook: WebhookState = { id: `msg_${job.uuid}`, status: 'pending', attempts: [], next_attempt_at: new Date().toISOString() };
    await this.store.updateJob(job.uuid, { webhook });
    await this.attempt(job.uuid);
  }

  /** After a restart: deliveries still pending, and finished jobs whose delivery never started. */
  async resume(): Promise<number> {
    const finished = await this.store.listFinishedBefore(new Date(Date.now() + 60_000).toISOString());
    let resumed = 0;
    for (const job of finished) {
      if (!job.callback_url) continue;
      if (!job.webhook) {
        resumed++;
        void this.jobFinished(job).catch((err: unknown) => this.log.error({ job: job.uuid, err: errorMessage(err) }, 'webhook start failed'));
      } else if (job.webhook.status === 'pending') {
        resumed++;
        this.schedule(job.uuid, job.webhook.next_attempt_at);
      }
    }
    return resumed;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(uuid: string, at: string | null): void {
    if (this.closed || this.timers.has(uuid)) return;
    const delay = Math.max(0, (at ? Date.parse(at) : Date.now()) - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(uuid);
      void this.attempt(uuid).catch((err: unknown) => this.log.error({ job: uuid, err: errorMessage(err) }, 'webhook attempt crashed'));
    }, delay);
    timer.unref();
    this.timers.set(uuid, timer);
  }

  private async attempt(uuid: string): Promise<void> {
    if (this.closed || this.inFlight.has(uuid)) return;
    this.inFlight.add(uuid);
    try {
      const job = await this.store.getJob(uuid);
      // A job deleted meanwhile takes its delivery with it.
      if (!job?.callback_url || job.webhook?.status !== 'pending') return;
      const started = Date.now();
      const outcome = await this.send(job, job.callback_url, job.webhook.id);
      const attempt: WebhookAttempt = { at: new Date(started).toISOString(), status: outcome.status, error: outcome.error, ms: Date.now() - started };
      const attempts = [...job.webhook.attempts, attempt];
      const next = outcome.final ? null : this.nextAttemptAt(attempts);
      const status: WebhookState['status'] = outcome.delivered ? 'delivered' : next === null ? 'failed' : 'pending';
      await this.store.updateJob(uuid, { webhook: { ...job.webhook, status, attempts, next_attempt_at: next } });
      this.log.info({ job: uuid, webhook: status, http: outcome.status, error: outcome.error, attempt: attempts.length }, 'webhook attempt');
      if (status === 'pending') this.schedule(uuid, next);
    } finally {
      this.inFlight.delete(uuid);
    }
  }

  /** When the next attempt starts, or null when it would start after the retry window. */
  private nextAttemptAt(attempts: WebhookAttempt[]): string | null {
    const { retryInitialMs, retryMaxDelayMs, retryForMs } = this.settings;
    const delay = Math.min(retryMaxDelayMs, retryInitialMs * 2 ** (attempts.length - 1));
    const first = Date.parse(attempts[0]?.at ?? new Date().toISOString());
    const at = Date.now() + delay;
    return at - first > retryForMs ? null : new Date(at).toISOString();
  }

  private async send(
    job: JobRecord,
    target: string,
    id: string,
  ): Promise<{ delivered: boolean; final: boolean; status: number | null; error: string | null }> {
    const url = new URL(target);
    try {
      await this.policy.check(url);
    } catch (err) {
      // A refused address is the operator's rule, not a passing failure: no retries.
      return { delivered: false, final: true, status: null, error: errorMessage(err) };
    }
    const secret = await this.secretFor(job.owner);
    if (!secret) return { delivered: false, final: true, status: null, error: 'the job has no account to sign with' };
    const body = JSON.stringify(webhookPayload(job));
    const headers = { ...webhookHeaders(secret, id, Math.floor(Date.now() / 1000), body), 'user-agent': 'ocr-platform-webhooks/1' };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      // agent: false: a fresh connection per attempt, so every attempt goes through the guarded lookup.
      const req = request(url, { method: 'POST', headers, lookup: this.policy.lookup, agent: false, timeout: this.settings.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ delivered: ok, final: ok, status, error: ok ? null : `HTTP ${status}` });
        });
        res.on('error', (err) => resolve({ delivered: false, final: false, status: res.statusCode ?? null, error: errorMessage(err) }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.settings.timeoutMs} ms`)));
      req.on('error', (err) => {
        const refused = errorMessage(err).startsWith('refused:');
        resolve({ delivered: false, final: refused, status: null, error: errorMessage(err) });
      });
      req.end(body);
    });
  }
}
