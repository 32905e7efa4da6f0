import type { PageTask, PageTaskHandler, TaskBus } from '@ocr/domain';

interface Queued {
  task: PageTask;
  seq: number;
}

/**
 * The embedded TaskBus: an in-memory priority queue (lower priority first, then FIFO).
 * It holds nothing durable: the job store is the record of unfinished pages, and the job
 * service republishes them on start-up.
 */
export class InProcessTaskBus implements TaskBus {
  private readonly queue: Queued[] = [];
  private readonly queuedKeys = new Set<string>();
  private seq = 0;
  private handler: PageTaskHandler | null = null;
  private concurrency = 1;
  private running = 0;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  async publish(task: PageTask): Promise<void> {
    if (this.closed) return;
    const key = `${task.job_uuid}:${task.index}`;
    // A page already waiting is not queued twice (redelivery is idempotent anyway).
    if (this.queuedKeys.has(key)) return;
    this.queuedKeys.add(key);
    this.queue.push({ task, seq: this.seq++ });
    this.queue.sort((a, b) => a.task.priority - b.task.priority || a.seq - b.seq);
    this.pump();
  }

  async consume(handler: PageTaskHandler, concurrency: number): Promise<void> {
    this.handler = handler;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    while (this.running < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift() as Queued;
      this.queuedKeys.delete(`${next.task.job_uuid}:${next.task.index}`);
      this.running++;
      // The handler owns its errors; a rejection here must not stop the queue.
      void handler(next.task)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          if (this.running === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((w) => w());
          this.pump();
        });
    }
  }

  /** Resolves when nothing is queued or running (used on shutdown). */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.queuedKeys.clear();
  }
}
