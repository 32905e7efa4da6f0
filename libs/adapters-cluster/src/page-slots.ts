/**
 * The pages a worker reads at once (its engines), shared by the partitions it consumes: a
 * partition's next task takes a slot before it is read, and one that waits too long for a slot can
 * be handed to an idle worker instead (KafkaTaskBus).
 */
export class PageSlots {
  private free: number;
  /** Partitions waiting for a slot, first come first served. */
  private readonly waiting: Array<(taken: boolean) => void> = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** True once a slot is taken, false after `ms` without one (the wait is given up). */
  take(ms: number): Promise<boolean> {
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = (taken: boolean): void => {
        clearTimeout(timer);
        resolve(taken);
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      }, ms);
      this.waiting.push(waiter);
    });
  }

  /** Gives a slot back: to the partition that has waited longest, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.free++;
  }
}
