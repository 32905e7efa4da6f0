import type { TesseractStream } from './tesseract-stream';

interface Warm {
  stream: TesseractStream;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * The long-lived Tesseract processes of one engine, one per set of arguments: at most `capacity`
 * (the least recently used idle one ends to make room), each ending after `idleMs` unused.
 */
export class WarmStreams {
  /** In the order of last use, least recent first (a taken entry moves to the end). */
  private readonly warm = new Map<string, Warm>();

  constructor(
    private readonly capacity: number,
    private readonly idleMs: number,
  ) {}

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** The live process for `key`, started by `start` when there is none (or it has ended). */
  take(key: string, start: () => TesseractStream): TesseractStream {
    let entry = this.warm.get(key);
    if (entry && !entry.stream.alive) {
      void this.drop(key, entry);
      entry = undefined;
    }
    if (!entry) {
      this.makeRoom();
      entry = { stream: start(), idleTimer: null };
    }
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    this.warm.delete(key);
    this.warm.set(key, entry);
    return entry.stream;
  }

  /** Called when a reading on `key`'s process is over: its idle time starts. */
  release(key: string): void {
    const entry = this.warm.get(key);
    if (!entry) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (!entry.stream.busy) void this.drop(key, entry);
    }, this.idleMs);
    entry.idleTimer.unref();
  }

  /** Ends every process, settling once all have gone. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.warm].map(([key, entry]) => this.drop(key, entry)));
  }

  private makeRoom(): void {
    while (this.warm.size >= this.capacity) {
      const idle = [...this.warm].find(([, e]) => !e.stream.busy);
      // Every process busy (another page's reading): one more for a while, rather than a kill.
      if (!idle) return;
      void this.drop(idle[0], idle[1]);
    }
  }

  private drop(key: string, entry: Warm): Promise<void> {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    if (this.warm.get(key) === entry) this.warm.delete(key);
    return entry.stream.close();
  }
}
