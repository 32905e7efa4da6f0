import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentError } from '@ocr/domain';
import type { OcrEngine, OrientationResult, RecognizedPage, RecognizeRequest } from '../engine';
import { markSpacing, parseOsd, parseTsv } from '../tsv';
import { runProcess } from './run-process';

const ROTATIONS = [0, 90, 180, 270] as const;

/**
 * The native Tesseract CLI, one process per call. Each process is single-threaded
 * (OMP_THREAD_LIMIT=1): pages run in parallel across cores instead, which measured 2.8x faster
 * than letting OpenMP oversubscribe two cores.
 */
export class TesseractNativeEngine implements OcrEngine {
  readonly name = 'tesseract-native';
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly bin: string,
    tessdataDir: string | null,
  ) {
    this.env = { ...process.env, OMP_THREAD_LIMIT: '1', ...(tessdataDir ? { TESSDATA_PREFIX: tessdataDir } : {}) };
  }

  /**
   * One recognition writes the TSV (words and boxes) and the plain text (the spacing of scripts
   * whose TSV words are not words), into a directory of its own.
   */
  async recognize(req: RecognizeRequest): Promise<RecognizedPage> {
    const dir = await mkdtemp(join(tmpdir(), 'tess-'));
    try {
      const base = join(dir, 'out');
      const args = [req.imagePath, base, '-l', req.languages.join('+'), '--psm', String(req.psm ?? 3)];
      if (req.dpi) args.push('--dpi', String(req.dpi));
      for (const [k, v] of Object.entries(req.variables ?? {})) args.push('-c', `${k}=${v}`);
      const spacing = req.spacing ?? true;
      args.push('tsv', ...(spacing ? ['txt'] : []));
      const result = await runProcess(this.bin, args, { timeoutMs: req.timeoutMs, env: this.env, what: 'page recognition' });
      if (result.code !== 0) {
        throw new DocumentError(`tesseract could not read the page: ${lastLine(result.stderr)}`);
      }
      const [tsv, text] = await Promise.all([readFile(`${base}.tsv`, 'utf8'), spacing ? readFile(`${base}.txt`, 'utf8').catch(() => '') : null]);
      const page = parseTsv(tsv);
      return text === null ? page : { ...page, words: markSpacing(page.words, text) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async detectOrientation(imagePath: string, timeoutMs: number): Promise<OrientationResult> {
    const result = await runProcess(this.bin, [imagePath, 'stdout', '--psm', '0'], {
      timeoutMs,
      env: this.env,
      what: 'orientation detection',
    });
    // Too little text for OSD is not an error: the page simply has no detectable orientation.
    if (result.code !== 0) return { rotate: 0, orientationConfidence: 0, script: 'Latin', scriptConfidence: 0 };
    const osd = parseOsd(result.stdout);
    const rotate = ROTATIONS.find((r) => r === osd.rotate) ?? 0;
    return { ...osd, rotate };
  }

  async close(): Promise<void> {
    // Nothing is kept between calls.
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((l) => !/^(Estimating resolution|Warning)/.test(l));
  return lines[lines.length - 1] ?? 'unknown error';
}

/** Whether the binary runs at all (auto engine selection). */
export async function nativeTesseractAvailable(bin: string): Promise<boolean> {
  try {
    const result = await runProcess(bin, ['--version'], { timeoutMs: 10_000, what: 'tesseract --version' });
    return result.code === 0;
  } catch {
    return false;
  }
}
