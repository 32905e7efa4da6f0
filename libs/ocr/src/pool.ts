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
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.free.map((slot) => this.retire(slot)));
  }
}
