import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import type { OcrEngine, OrientationResult, RecognizedPage, RecognizeRequest } from '../engine';
import { markSpacing, parseTsv } from '../tsv';
import { timeoutError } from './run-process';

export interface WasmDataSource {
  langPath: string;
  gzip: boolean;
}

/**
 * Where tesseract.js reads models from: the system tessdata directory when there is one (the same
 * models the native engine uses), else the npm package @tesseract.js-data/eng. Never a CDN.
 */
export function wasmDataSource(tessdataDir: string | null): WasmDataSource {
  if (tessdataDir && existsSync(tessdataDir)) return { langPath: tessdataDir, gzip: false };
  const pkg = dirname(require.resolve('@tesseract.js-data/eng/package.json'));
  return { langPath: join(pkg, '4.0.0'), gzip: true };
}

/** Tesseract's own values for the variables the pipeline sets, restored when a call omits them. */
const VARIABLE_DEFAULTS: Readonly<Record<string, string>> = { thresholding_method: '0', thresholding_smooth_kernel_size: '0', user_defined_dpi: '0' };

/** tesseract.js in a worker thread; keeps one worker and reinitialises it when languages change. */
export class TesseractWasmEngine implements OcrEngine {
  readonly name = 'tesseract-wasm';
  private worker: Worker | null = null;
  private languages = '';
  /** Parameters the last call set beyond the defaults. */
  private setKeys = new Set<string>();
  private readonly cachePath = mkdtempSync(join(tmpdir(), 'tesseract-wasm-'));

  constructor(private readonly source: WasmDataSource) {}

  private async workerFor(languages: string[]): Promise<Worker> {
    const key = languages.join('+');
    if (this.worker && this.languages === key) return this.worker;
    if (this.worker) {
      await this.worker.reinitialize(key, 1);
    } else {
      this.worker = await createWorker(key, 1, {
        langPath: this.source.langPath,
        gzip: this.source.gzip,
        cachePath: this.cachePath,
        cacheMethod: 'none',
      });
    }
    this.languages = key;
    return this.worker;
  }

  async recognize(req: RecognizeRequest): Promise<RecognizedPage> {
    const worker = await this.workerFor(req.languages);
    const wanted: Record<string, string> = { ...(req.dpi ? { user_defined_dpi: String(req.dpi) } : {}), ...(req.variables ?? {}) };
    // The worker keeps parameters between calls: one pass's setting (a tiled threshold, a dpi)
    // must not leak into the next page's or the next language's reading.
    const reset: Record<string, string> = {};
    for (const key of this.setKeys) if (!(key in wanted)) reset[key] = VARIABLE_DEFAULTS[key] ?? '';
    await worker.setParameters({ tessedit_pageseg_mode: String(req.psm ?? 3) as never, ...reset, ...wanted });
    this.setKeys = new Set(Object.keys(wanted));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A stuck wasm worker cannot be interrupted, only replaced.
        void this.close();
        reject(timeoutError('page recognition', req.timeoutMs));
      }, req.timeoutMs);
    });
    try {
      const result = await Promise.race([worker.recognize(req.imagePath, {}, { tsv: true, text: true, blocks: false }), timeout]);
      const page = parseTsv(result.data.tsv ?? '');
      return { ...page, words: markSpacing(page.words, result.data.text ?? '') };
    } finally {
      clearTimeout(timer);
    }
  }

  async detectOrientation(): Promise<OrientationResult> {
    // OSD needs Tesseract's legacy engine, which the LSTM-only wasm build here does not load.
    return { rotate: 0, orientationConfidence: 0, script: 'Latin', scriptConfidence: 0 };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.languages = '';
    if (worker) await worker.terminate().catch(() => undefined);
  }
}
