import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeoutError } from './run-process';

/**
 * What one image gave: the engine's output for it, or, when the process ended on it (a page it
 * could not read, OSD finding too few characters), what it said.
 */
export type StreamReading = { ok: true; output: string } | { ok: false; stderr: string };

/** `pages`: TSV (and plain text) per image. `orientation`: `--psm 0`'s report per image. */
export type StreamKind = 'pages' | 'orientation';

/** Enough of stderr to name why a process ended. */
const STDERR_KEPT = 4096;

/**
 * A blank image read after every page: Tesseract marks no page's end in its TSV, but the blank's
 * page row says the page before it is complete. It reads in well under a millisecond.
 */
const END_MARK_SIZE = 40;

/**
 * One long-lived Tesseract process that reads image paths from stdin (`stream_filelist`) and
 * writes each image's output as soon as it is read (every renderer flushes per page). Its model
 * stays loaded: a spawned process spent 130-190 ms before its first pixel (eng, chi_sim, tha,
 * OSD; measured on bands and whole pages), more than a band's reading itself. Its settings are
 * fixed for its life, so a process serves one combination of languages, layout mode and variables.
 * One image at a time: requests queue.
 */
export class TesseractStream {
  private readonly child: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';
  private imagesSent = 0;
  private ended = false;
  /** close() was called: the process is on its way out, and no new reading starts on it. */
  private closing = false;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: (() => void) | null = null;
  private inFlight = 0;
  /** Settles once the process has ended and its pipes have closed. */
  private readonly exited: Promise<void>;

  constructor(
    bin: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    private readonly kind: StreamKind,
  ) {
    this.child = spawn(bin, ['-', '-', '-c', 'stream_filelist=1', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      this.out += d;
      this.waiting?.();
    });
    this.child.stderr.on('data', (d: string) => {
      this.err = (this.err + d).slice(-STDERR_KEPT);
    });
    // A write to a process that has just ended: its 'close' tells the waiting request.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise<void>((resolve) => {
      this.child.once('error', (e) => {
        this.end(e.message);
        resolve();
      });
      this.child.once('close', () => {
        this.end('');
        resolve();
      });
    });
    this.setHeld(false);
  }

  /** False once the process has ended (an unreadable image, a crash, a timeout, close()). */
  get alive(): boolean {
    return !this.ended && !this.closing;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Reads one image; a reading over `timeoutMs` kills the process (its queue fails with it). */
  read(imagePath: string, timeoutMs: number, what: string): Promise<StreamReading> {
    if (!streamable(imagePath)) return Promise.reject(new Error('an image path with a line break cannot be streamed'));
    this.inFlight++;
    this.setHeld(true);
    const reading = this.queue.then(() => this.readNow(imagePath, timeoutMs, what));
    const settle = () => {
      this.inFlight--;
      if (this.inFlight === 0 && !this.closing) this.setHeld(false);
    };
    this.queue = reading.then(settle, settle);
    return reading;
  }

  /** Ends the process; settles once it has gone (a service stopping waits for it, leaving none behind). */
  close(): Promise<void> {
    if (!this.ended && !this.closing) {
      this.closing = true;
      // Held until it has gone: an idle process is unreferenced, and its end would go unawaited.
      this.setHeld(true);
      this.child.stdin.end();
      this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  private readNow(imagePath: string, timeoutMs: number, what: string): Promise<StreamReading> {
    if (!this.alive) return Promise.resolve(this.failure());
    this.err = '';
    const lines = this.kind === 'pages' ? `${imagePath}\n${endMarkImage()}\n` : `${imagePath}\n`;
    this.imagesSent += this.kind === 'pages' ? 2 : 1;
    const end = this.kind === 'pages' ? pageRowOf(this.imagesSent) : /Script confidence:[^\n]*\n/;
    return new Promise<StreamReading>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        void this.close();
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      this.waiting = () => {
        const found = end.exec(this.out);
        if (found) {
          clearTimeout(timer);
          this.waiting = null;
          const output = this.kind === 'pages' ? this.out.slice(0, found.index) : this.out.slice(0, found.index + found[0].length);
          this.out = this.out.slice(found.index + found[0].length);
          resolve({ ok: true, output });
        } else if (this.ended) {
          clearTimeout(timer);
          this.waiting = null;
          resolve(this.failure());
        }
      };
      this.child.stdin.write(lines);
      this.waiting();
    });
  }

  private end(message: string): void {
    if (this.ended) return;
    this.ended = true;
    if (message) this.err = (this.err + message).slice(-STDERR_KEPT);
    this.waiting?.();
  }

  private failure(): StreamReading {
    return { ok: false, stderr: this.err };
  }

  /** An idle process keeps neither the event loop nor the Node process alive (it ends at stdin's end). */
  private setHeld(held: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{ ref?: () => void; unref?: () => void }>;
    for (const handle of handles) (held ? handle.ref : handle.unref)?.call(handle);
  }
}

/** Whether a path can be streamed: one with a line break would end its line of stdin early. */
export function streamable(imagePath: string): boolean {
  return !/[\n\r]/.test(imagePath);
}

/** The end mark's TSV page row, whole (after the text of a page that had none, right after its form feed). */
function pageRowOf(page: number): RegExp {
  return new RegExp(`(?:^|[\\n\\f])1\\t${page}\\t0\\t0\\t0\\t0\\t0\\t0\\t${END_MARK_SIZE}\\t${END_MARK_SIZE}\\t[^\\n]*\\n`);
}

/**
 * Splits a page's streamed output into its TSV rows and its plain text: the text follows the rows,
 * after the form feed Tesseract puts between pages' texts (it never writes a tab in text).
 */
export function splitPageOutput(output: string): { tsv: string; text: string } {
  const lines = output.replace(/^\f/, '').split('\n');
  let rows = 0;
  while (rows < lines.length && /^(?:[1-5]\t|level\t)/.test(lines[rows] ?? '')) rows++;
  return { tsv: lines.slice(0, rows).join('\n'), text: lines.slice(rows).join('\n').replace(/^\f/, '') };
}

let endMarkPath: string | null = null;

/** The blank end-mark image (PGM, which Leptonica reads without a codec), rewritten if swept away. */
function endMarkImage(): string {
  const path = (endMarkPath ??= join(tmpdir(), `ocr-chat-end-mark-${END_MARK_SIZE}.pgm`));
  if (!existsSync(path)) {
    const header = Buffer.from(`P5\n${END_MARK_SIZE} ${END_MARK_SIZE}\n255\n`, 'ascii');
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([header, Buffer.alloc(END_MARK_SIZE * END_MARK_SIZE, 255)]));
    renameSync(temporary, path);
  }
  return path;
}
