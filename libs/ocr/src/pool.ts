import type { OcrEngine } from './engine';

interface Slot {
  engine: OcrEngine | null;
  pages: number;
}

/**
 * A fixed number of engines (one per core by default); `run` waits for a free one. Engines are
 * replaced after `recycleAfter` pages or any error, which bounds tesseract.js memory growth and
 * clears an engine left in a bad state.
 */
export class EnginePool {
  private readonly free: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly restartListeners: Array<(reason: 'recycled' | 'error') => void> = [];
  private closed = false;
  /** Pages that will ask for an engine soon (their image is being made): idle engines are theirs. */
  private expected = 0;

  constructor(
    private readonly factory: () => Promise<OcrEngine>,
    readonly size: number,
    private readonly recycleAfter = Number.POSITIVE_INFINITY,
    private lastName: string | null = null,
  ) {
    this.free = Array.from({ length: Math.max(1, size) }, () => ({ engine: null, pages: 0 }));
  }

  get engineName(): string | null {
    return this.lastName;
  }

  private acquire(): Promise<Slot> {
    const slot = this.free.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  /** Told when an engine is replaced: after `recycleAfter` pages, or after an error. */
  onRestart(listener: (reason: 'recycled' | 'error') => void): void {
    this.restartListeners.push(listener);
  }

  private restarted(reason: 'recycled' | 'error'): void {
    for (const listener of this.restartListeners) listener(reason);
  }

  private async retire(slot: Slot): Promise<void> {
    const engine = slot.engine;
    slot.engine = null;
    slot.pages = 0;
    await engine?.close().catch(() => undefined);
  }

  /**
   * Whether an engine is free now and no page waits or is about to ask for one: only then may a
   * page borrow it (tryRun) without delaying another.
   */
  get idle(): boolean {
    return !this.closed && this.free.length > this.expected && this.waiting.length === 0;
  }

  /**
   * Announces a page that will call `run` soon (while its image is made); the returned function
   * withdraws the announcement, right before that `run` or when the page needs no engine after all.
   */
  expect(): () => void {
    this.expected++;
    let withdrawn = false;
    return () => {
      if (withdrawn) return;
      withdrawn = true;
      this.expected--;
    };
  }

  /** Runs `work` on an engine that is free now; null when none is, instead of waiting for one. */
  tryRun<T>(work: (engine: OcrEngine) => Promise<T>): Promise<T> | null {
    return this.idle ? this.run(work) : null;
  }

  async run<T>(work: (engine: OcrEngine) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('engine pool is closed');
    const slot = await this.acquire();
    try {
      slot.engine ??= await this.factory();
      this.lastName = slot.engine.name;
      const result = await work(slot.engine);
      slot.pages++;
      if (slot.pages >= this.recycleAfter) {
        await this.retire(slot);
        this.restarted('recycled');
      }
      return result;
    } catch (err) {
      if (slot.engine) this.restarted('error');
      await this.retire(slot);
      throw err;
    } finally {
      // An engine busy when the pool closed ends here (a native one holds warm processes).
      if (this.closed) await this.retire(slot);
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.free.map((slot) => this.retire(slot)));
  }
}
