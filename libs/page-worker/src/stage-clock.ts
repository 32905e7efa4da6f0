import type { PageTimings } from '@ocr/domain';
import type { EnginePool, OcrEngine } from '@ocr/ocr';

/** Milliseconds since `started` (a performance.now() value), rounded. */
export function since(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * What the engines did for one page: the wait for a free engine, each recognition pass and each
 * orientation check, timed from outside the recognition pipeline so libs/ocr needs no clock.
 */
export class EngineClock {
  waitMs = 0;
  readonly passes: number[] = [];
  orientationMs = 0;

  /**
   * The pool as recognizePage sees it, with every engine it hands out timed. A Proxy keeps the
   * pool's own type (a class) and forwards everything but `run` untouched: an idle engine lent for
   * part of a page (`tryRun`) reads beside the page's own, whose pass is the one timed.
   */
  timed(pool: EnginePool): EnginePool {
    return new Proxy(pool, {
      get: (target, property, receiver) => {
        if (property !== 'run') return Reflect.get(target, property, receiver) as unknown;
        return <T>(work: (engine: OcrEngine) => Promise<T>): Promise<T> => {
          const asked = performance.now();
          return target.run((engine) => {
            this.waitMs += since(asked);
            return work(this.timedEngine(engine));
          });
        };
      },
    });
  }

  private timedEngine(engine: OcrEngine): OcrEngine {
    return {
      name: engine.name,
      recognize: async (req) => {
        const started = performance.now();
        try {
          return await engine.recognize(req);
        } finally {
          this.passes.push(since(started));
        }
      },
      detectOrientation: async (imagePath, timeoutMs, options) => {
        const started = performance.now();
        try {
          return await engine.detectOrientation(imagePath, timeoutMs, options);
        } finally {
          this.orientationMs += since(started);
        }
      },
      close: () => engine.close(),
    };
  }

  /** The engine stages of a recognition that took `totalMs` (the rest of it is layout and image work). */
  stages(totalMs: number): Pick<PageTimings, 'engine_wait_ms' | 'recognition_ms' | 'orientation_ms' | 'layout_ms'> {
    const engineMs = this.waitMs + this.passes.reduce((a, b) => a + b, 0) + this.orientationMs;
    return {
      engine_wait_ms: this.waitMs,
      recognition_ms: [...this.passes],
      ...(this.orientationMs > 0 ? { orientation_ms: this.orientationMs } : {}),
      layout_ms: Math.max(0, totalMs - engineMs),
    };
  }
}
