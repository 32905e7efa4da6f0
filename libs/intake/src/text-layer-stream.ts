import { spawn, type ChildProcess } from 'node:child_process';
import type { IntakeLimits } from './limits';
import { pagesWithImages, parseBboxLayout, readTextLayers, type PdfPageText, type TextLayerPage } from './text-layer';

/** Parsed pages held ahead of the workers before pdftotext is paused (bounds memory on long documents). */
const MAX_AHEAD = 64;
/** A document none of whose pages was asked for this long is let go (its job was deleted or failed). */
const IDLE_MS = 30_000;
/** Documents read at once; the least recently used one is let go beyond this. */
const MAX_DOCUMENTS = 4;

const PAGE_END = '</page>';

/**
 * One `pdftotext -bbox-layout` over a document's pages from `first` to the end, parsed page by page
 * as its output arrives. Pages are handed out once each, in any order; a page the process has
 * already passed (taken or let go) or one far ahead is not its business: `take` answers null and
 * the caller reads that page on its own. When MAX_AHEAD pages wait unclaimed the process is paused
 * (its pipe fills and it blocks), unless a worker waits for a later page: then the oldest unclaimed
 * pages are let go instead, so a waiting worker is never stuck behind pages nobody takes.
 */
class DocumentTextStream {
  private readonly ready = new Map<number, { page: TextLayerPage; parseMs: number }>();
  private readonly waiting = new Map<number, Array<(got: { page: TextLayerPage; parseMs: number } | null) => void>>();
  private readonly child: ChildProcess;
  private next: number;
  private ended = false;
  private paused = false;
  private text = '';
  private idle: NodeJS.Timeout | null = null;
  private stall: NodeJS.Timeout | null = null;

  constructor(
    path: string,
    first: number,
    pageCount: number,
    private readonly dpi: number,
    /** How long a worker may wait for the next page before the process is given up (its pages then read alone). */
    private readonly stallMs: number,
    private readonly onIdle: () => void,
  ) {
    this.next = first;
    this.child = spawn('pdftotext', ['-f', String(first + 1), '-l', String(pageCount), '-bbox-layout', '-enc', 'UTF-8', path, '-'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.receive(chunk));
    this.child.once('close', () => this.finish());
    this.child.once('error', () => this.finish());
    this.touch();
  }

  /** Page `index` once it is parsed; null when this stream will not give it (read it on its own). */
  take(index: number): Promise<{ page: TextLayerPage; parseMs: number } | null> {
    this.touch();
    const ready = this.ready.get(index);
    if (ready) {
      this.ready.delete(index);
      this.flow();
      return Promise.resolve(ready);
    }
    if (this.ended || index < this.next || index >= this.next + 2 * MAX_AHEAD) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting.set(index, [...(this.waiting.get(index) ?? []), resolve]);
      this.watchStall();
      this.flow();
    });
  }

  stop(): void {
    if (this.idle) clearTimeout(this.idle);
    if (this.stall) clearTimeout(this.stall);
    this.child.kill('SIGKILL');
    this.finish();
  }

  private touch(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.stop();
      this.onIdle();
    }, IDLE_MS);
    this.idle.unref();
  }

  /** A process that stops giving pages while workers wait (a hostile PDF) must not hold them. */
  private watchStall(): void {
    if (this.stall) return;
    this.stall = setTimeout(() => this.stop(), this.stallMs);
    this.stall.unref();
  }

  private receive(chunk: string): void {
    this.text += chunk;
    for (let end = this.text.indexOf(PAGE_END); end >= 0; end = this.text.indexOf(PAGE_END)) {
      const started = performance.now();
      const [page] = parseBboxLayout(this.text.slice(0, end + PAGE_END.length), this.dpi);
      this.text = this.text.slice(end + PAGE_END.length);
      const index = this.next++;
      if (page) this.deliver(index, { page, parseMs: performance.now() - started });
      if (this.stall) clearTimeout(this.stall);
      this.stall = null;
      if (this.waiting.size > 0) this.watchStall();
    }
    this.flow();
  }

  private deliver(index: number, got: { page: TextLayerPage; parseMs: number }): void {
    const waiters = this.waiting.get(index);
    if (waiters) {
      this.waiting.delete(index);
      for (const w of waiters) w(got);
    } else {
      this.ready.set(index, got);
    }
  }

  /** Pauses the process while enough pages wait unclaimed, unless a worker waits for a later one. */
  private flow(): void {
    if (this.ended) return;
    while (this.ready.size >= MAX_AHEAD && this.waiting.size > 0) {
      const oldest = Math.min(...this.ready.keys());
      this.ready.delete(oldest);
    }
    const full = this.ready.size >= MAX_AHEAD;
    if (full && !this.paused) this.child.stdout?.pause();
    if (!full && this.paused) this.child.stdout?.resume();
    this.paused = full;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stall) clearTimeout(this.stall);
    for (const waiters of this.waiting.values()) for (const w of waiters) w(null);
    this.waiting.clear();
  }
}

interface DocumentEntry {
  stream: DocumentTextStream;
  images: Promise<Set<number>> | null;
}

/**
 * The text layers of the PDFs being processed, one `pdftotext` per document read as it goes, for
 * page workers that take a document's pages one by one: a process per page cost more than all the
 * rest of a born-digital page's work. Pages the stream cannot give (a retry, a page far ahead) are
 * read on their own, as before.
 */
export class TextLayerStreams {
  private readonly documents = new Map<string, DocumentEntry>();

  /** Page `index` of the document `doc` (a job id, the key of its stream) held at `path`. */
  async page(doc: string, path: string, index: number, pageCount: number, limits: IntakeLimits): Promise<PdfPageText> {
    const started = performance.now();
    const entry = this.entry(doc, path, index, pageCount, limits);
    const got = await entry.stream.take(index);
    // A page the stream does not give is read alone from this page's own copy of the document
    // (also when the stream failed: a PDF that forbids copying fails again at once, as it always did).
    const layer = got ? got.page : ((await readTextLayers(path, index, index, limits).catch(() => null))?.[0] ?? null);
    const parseMs = got?.parseMs ?? 0;
    return {
      layer,
      hasImages: async () => {
        entry.images ??= pagesWithImages(path, 0, pageCount - 1, limits);
        return (await entry.images).has(index);
      },
      extractMs: Math.round(performance.now() - started + parseMs),
    };
  }

  private entry(doc: string, path: string, index: number, pageCount: number, limits: IntakeLimits): DocumentEntry {
    const existing = this.documents.get(doc);
    if (existing) {
      // Most recently used last, so the first one is the one to let go.
      this.documents.delete(doc);
      this.documents.set(doc, existing);
      return existing;
    }
    const stream = new DocumentTextStream(path, index, pageCount, limits.dpi, limits.timeoutMs / 3, () => this.documents.delete(doc));
    const entry: DocumentEntry = { stream, images: null };
    this.documents.set(doc, entry);
    for (const [key, old] of this.documents) {
      if (this.documents.size <= MAX_DOCUMENTS) break;
      old.stream.stop();
      this.documents.delete(key);
    }
    return entry;
  }
}
