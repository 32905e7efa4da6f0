import { DocumentError, type Block, type Line, type Word } from '@ocr/domain';
import type { IntakeLimits } from './limits';
import { run } from './run';

export interface TextLayerPage {
  width: number;
  height: number;
  blocks: Block[];
  characters: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

type Box = [number, number, number, number];

/** pdftotext writes the four corners in this order; the general form is the fallback. */
const CORNERS = /xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"/;

function attrBox(attrs: string, scale: number): Box {
  const m = CORNERS.exec(attrs);
  // Written out: this runs for every word of every page.
  if (m) return [Math.round(Number(m[1]) * scale), Math.round(Number(m[2]) * scale), Math.round(Number(m[3]) * scale), Math.round(Number(m[4]) * scale)];
  const get = (k: string) => Number(new RegExp(`${k}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0) * scale;
  return [get('xMin'), get('yMin'), get('xMax'), get('yMax')].map((v) => Math.round(v)) as Box;
}

/** One token of pdftotext's bbox-layout XHTML: an opening page/block/line, a word, or a closing tag. */
const TOKENS = /<page ([^>]*)>|<block([^>]*)>|<line([^>]*)>|<word([^>]*)>([^<]*)<\/word>|<\/(line|block|page)>/g;

/**
 * Parses `pdftotext -bbox-layout` output (any number of pages) into blocks, lines and words in
 * pixels at `dpi`, in one pass over the text: a 500-page document is one string, not 500.
 */
export function parseBboxLayout(xhtml: string, dpi: number): TextLayerPage[] {
  const scale = dpi / 72;
  const pages: TextLayerPage[] = [];
  let page: TextLayerPage | null = null;
  let blockAttrs = '';
  let lineAttrs = '';
  let lines: Line[] = [];
  let words: Word[] = [];
  for (const m of xhtml.matchAll(TOKENS)) {
    if (m[1] !== undefined) {
      const size = /width="([\d.]+)" height="([\d.]+)"/.exec(m[1]);
      page = { width: Math.round(Number(size?.[1] ?? 0) * scale), height: Math.round(Number(size?.[2] ?? 0) * scale), blocks: [], characters: 0 };
      pages.push(page);
    } else if (m[2] !== undefined) {
      blockAttrs = m[2];
      lines = [];
    } else if (m[3] !== undefined) {
      lineAttrs = m[3];
      words = [];
    } else if (m[4] !== undefined) {
      const text = decodeEntities(m[5] ?? '').trim();
      if (!text || !page) continue;
      page.characters += text.length;
      words.push({ text, bbox: attrBox(m[4], scale), confidence: 1 });
    } else if (m[6] === 'line') {
      if (words.length) lines.push({ text: words.map((w) => w.text).join(' '), bbox: attrBox(lineAttrs, scale), confidence: 1, words });
      words = [];
    } else if (m[6] === 'block') {
      if (lines.length && page) {
        page.blocks.push({ text: lines.map((l) => l.text).join('\n'), bbox: attrBox(blockAttrs, scale), confidence: 1, kind: 'paragraph', lines });
      }
      lines = [];
    }
  }
  return pages;
}

/**
 * The text layers of pages `first`..`last` (0-based, inclusive) with one `pdftotext` process.
 * Null when the PDF forbids copying text (pdftotext fails): OCR still reads what it shows.
 */
export async function readTextLayers(path: string, first: number, last: number, limits: IntakeLimits): Promise<TextLayerPage[] | null> {
  const out = await run(
    'pdftotext',
    ['-f', String(first + 1), '-l', String(last + 1), '-bbox-layout', '-enc', 'UTF-8', path, '-'],
    limits.timeoutMs,
  );
  if (out.code !== 0) return null;
  const pages = parseBboxLayout(out.stdout, limits.dpi);
  if (pages.length !== last - first + 1) {
    // The user's message says what to do; what the tool gave back is for the log (the error's cause).
    throw Object.assign(new DocumentError(`pages ${first + 1}-${last + 1} of the PDF are damaged and cannot be read; save the PDF again and upload it`), {
      cause: `pdftotext returned ${pages.length} pages`,
    });
  }
  return pages;
}

/** The 0-based indexes of the pages among `first`..`last` that draw an image (`pdfimages -list`: one row per image). */
export async function pagesWithImages(path: string, first: number, last: number, limits: IntakeLimits): Promise<Set<number>> {
  const out = await run('pdfimages', ['-f', String(first + 1), '-l', String(last + 1), '-list', path], limits.timeoutMs);
  const pages = new Set<number>();
  if (out.code !== 0) return pages;
  for (const row of out.stdout.split('\n').slice(2)) {
    const page = Number(/^\s*(\d+)\s/.exec(row)?.[1] ?? 0);
    if (page > 0) pages.add(page - 1);
  }
  return pages;
}

/** A PDF page's text layer as the page worker sees it. */
export interface PdfPageText {
  /** Null when the PDF forbids copying text. */
  layer: TextLayerPage | null;
  /** Whether the page draws an image (asked only for pages with little text). */
  hasImages(): Promise<boolean>;
  /** What reading the text layer cost this page: waiting for it to arrive, and parsing it. */
  extractMs: number;
}
