import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentError } from '@ocr/domain';
import type { OcrEngine, OrientationOptions, OrientationResult, RecognizedPage, RecognizeRequest } from '../engine';
import { markSpacing, parseOsd, parseTsv } from '../tsv';
import { runProcess } from './run-process';
import { splitPageOutput, streamable, TesseractStream, type StreamKind } from './tesseract-stream';
import { WarmStreams } from './warm-streams';

const ROTATIONS = [0, 90, 180, 270] as const;
/**
 * Characters a glance classifies before it may stop (Tesseract's min_characters_to_try, 50 by
 * default; it tries five times as many at most). On the bands of 48 pages in 12 scripts, 10 named
 * the full look's script on 36 and took 0.23-0.56 s against 0.51-1.32 s (process start included).
 */
const GLANCE_CHARACTERS = 10;

/** How long-lived processes are kept: OCR_WARM_PROCESSES per engine (0: one process per call). */
export interface WarmProcessOptions {
  processes: number;
  idleMs: number;
}

/**
 * The native Tesseract CLI. Each process is single-threaded (OMP_THREAD_LIMIT=1): pages run in
 * parallel across cores instead, which measured 2.8x faster than letting OpenMP oversubscribe two
 * cores. Processes are kept warm, one per combination of settings (TesseractStream): a page read
 * with `language=auto` makes 3-5 calls, and a new process spent 130-190 ms of each loading its model.
 */
export class TesseractNativeEngine implements OcrEngine {
  readonly name = 'tesseract-native';
  private readonly env: NodeJS.ProcessEnv;
  private readonly warm: WarmStreams;

  constructor(
    private readonly bin: string,
    tessdataDir: string | null,
    warm: WarmProcessOptions = { processes: 0, idleMs: 0 },
  ) {
    this.env = { ...process.env, OMP_THREAD_LIMIT: '1', ...(tessdataDir ? { TESSDATA_PREFIX: tessdataDir } : {}) };
    this.warm = new WarmStreams(warm.processes, warm.idleMs);
  }

  /**
   * One recognition gives the TSV (words and boxes) and the plain text (the spacing of scripts
   * whose TSV words are not words).
   */
  async recognize(req: RecognizeRequest): Promise<RecognizedPage> {
    const args = ['-l', req.languages.join('+'), '--psm', String(req.psm ?? 3)];
    if (req.dpi) args.push('--dpi', String(req.dpi));
    for (const [k, v] of Object.entries(req.variables ?? {})) args.push('-c', `${k}=${v}`);
    const spacing = req.spacing ?? true;
    const renderers = ['tsv', ...(spacing ? ['txt'] : [])];
    const { tsv, text } = this.streams(req.imagePath)
      ? splitPageOutput(await this.readWarm([...args, ...renderers], 'pages', req.imagePath, req.timeoutMs, 'page recognition'))
      : await this.recognizeOnce(req.imagePath, args, renderers, req.timeoutMs);
    const page = parseTsv(tsv);
    return spacing ? { ...page, words: markSpacing(page.words, text) } : page;
  }

  async detectOrientation(imagePath: string, timeoutMs: number, options: OrientationOptions = {}): Promise<OrientationResult> {
    const args = ['--psm', '0', ...(options.glance ? ['-c', `min_characters_to_try=${GLANCE_CHARACTERS}`] : [])];
    let report: string | null;
    if (this.streams(imagePath)) {
      report = await this.readWarm(args, 'orientation', imagePath, timeoutMs, 'orientation detection').catch((e: unknown) => {
        if (e instanceof NotRead) return null;
        throw e;
      });
    } else {
      const result = await runProcess(this.bin, [imagePath, 'stdout', ...args], { timeoutMs, env: this.env, what: 'orientation detection' });
      report = result.code === 0 ? result.stdout : null;
    }
    // Too little text for OSD is not an error: the page simply has no detectable orientation.
    if (report === null) return { rotate: 0, orientationConfidence: 0, script: 'Latin', scriptConfidence: 0 };
    const osd = parseOsd(report);
    const rotate = ROTATIONS.find((r) => r === osd.rotate) ?? 0;
    return { ...osd, rotate };
  }

  async close(): Promise<void> {
    await this.warm.closeAll();
  }

  private streams(imagePath: string): boolean {
    return this.warm.enabled && streamable(imagePath);
  }

  /** A reading on the warm process for these arguments; NotRead when the image ended the process. */
  private async readWarm(args: string[], kind: StreamKind, imagePath: string, timeoutMs: number, what: string): Promise<string> {
    const key = `${kind}\0${args.join('\0')}`;
    const stream = this.warm.take(key, () => new TesseractStream(this.bin, args, this.env, kind));
    try {
      const reading = await stream.read(imagePath, timeoutMs, what);
      if (!reading.ok) throw new NotRead(reading.stderr);
      return reading.output;
    } finally {
      this.warm.release(key);
    }
  }

  /** One process for one image, writing its outputs into a directory of its own. */
  private async recognizeOnce(imagePath: string, args: string[], renderers: string[], timeoutMs: number): Promise<{ tsv: string; text: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'tess-'));
    try {
      const base = join(dir, 'out');
      const result = await runProcess(this.bin, [imagePath, base, ...args, ...renderers], { timeoutMs, env: this.env, what: 'page recognition' });
      if (result.code !== 0) throw new NotRead(result.stderr);
      const [tsv, text] = await Promise.all([readFile(`${base}.tsv`, 'utf8'), renderers.includes('txt') ? readFile(`${base}.txt`, 'utf8').catch(() => '') : '']);
      return { tsv, text };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Tesseract ended without reading the image (its stderr says why). */
class NotRead extends DocumentError {
  constructor(stderr: string) {
    super(`tesseract could not read the page: ${lastLine(stderr)}`);
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
