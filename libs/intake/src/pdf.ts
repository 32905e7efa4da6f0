import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentError, type Block, type Line, type Word } from '@ocr/domain';
import { checkPageCount, checkPixels, checkTotalPixels, withCause, type FileBudget, type IntakeLimits } from './limits';
import { run } from './run';

export interface PdfInfo {
  pages: number;
  /** Page sizes in points, after /Rotate. */
  sizes: Array<{ width: number; height: number }>;
  /** Pixels of every page at the raster resolution, summed. */
  pixels: number;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** What the user is told; poppler's own words go to the log (details.reader), never into the job. */
const DAMAGED_PDF = 'the PDF is damaged or incomplete and cannot be opened; save or export it again (e.g. print it to a new PDF) and upload that file';
const BROKEN_PAGE_TREE = 'the PDF is damaged: its list of pages is broken (it loops or points at missing pages); save or export it again (e.g. print it to a new PDF) and upload that file';

/** Page count and sizes, with every page checked against the limits at the raster resolution. */
export async function inspectPdf(path: string, limits: IntakeLimits, budget?: FileBudget): Promise<PdfInfo> {
  const head = await run('pdfinfo', [path], limits.timeoutMs);
  if (head.code !== 0) {
    if (/password/i.test(head.stderr)) throw new DocumentError('the PDF is password-protected; remove the password and upload again');
    throw withCause(new DocumentError(DAMAGED_PDF), firstLine(head.stderr));
  }
  if (/loop in pages tree/i.test(head.stderr)) throw withCause(new DocumentError(BROKEN_PAGE_TREE), firstLine(head.stderr));
  const pages = Number(/^Pages:\s+(\d+)/m.exec(head.stdout)?.[1] ?? 0);
  checkPageCount(pages, limits);
  const detail = await run('pdfinfo', ['-f', '1', '-l', String(pages), path], limits.timeoutMs);
  if (/loop in pages tree/i.test(detail.stderr)) throw withCause(new DocumentError(BROKEN_PAGE_TREE), firstLine(detail.stderr));
  const sizes: PdfInfo['sizes'] = [];
  const rotations = new Map<number, number>();
  for (const m of detail.stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) rotations.set(Number(m[1]), Number(m[2]));
  for (const m of detail.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)) {
    const [w, h] = [Number(m[2]), Number(m[3])];
    const quarter = (rotations.get(Number(m[1])) ?? 0) % 180 === 90;
    sizes.push(quarter ? { width: h, height: w } : { width: w, height: h });
  }
  // A page without a size (or a missing one) is a broken page tree, not an empty image.
  if (sizes.length !== pages || sizes.some((s) => !(s.width > 0 && s.height > 0))) throw new DocumentError(BROKEN_PAGE_TREE);
  let pixels = 0;
  sizes.forEach((s, i) => {
    const [w, h] = [Math.round((s.width * limits.dpi) / 72), Math.round((s.height * limits.dpi) / 72)];
    checkPixels(w, h, limits, i);
    pixels += w * h;
  });
  checkTotalPixels(pixels, budget);
  return { pages, sizes, pixels };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

type Box = [number, number, number, number];

function attrBox(attrs: string, scale: number): Box {
  const get = (k: string) => Number(new RegExp(`${k}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0) * scale;
  return [get('xMin'), get('yMin'), get('xMax'), get('yMax')].map((v) => Math.round(v)) as Box;
}

export interface TextLayerPage {
  width: number;
  height: number;
  blocks: Block[];
  characters: number;
}

/** `pdftotext -bbox-layout` for one page: blocks, lines and words in points, scaled to pixels at dpi. */
export async function readTextLayer(path: string, index: number, limits: IntakeLimits): Promise<TextLayerPage> {
  const page = String(index + 1);
  const out = await run('pdftotext', ['-f', page, '-l', page, '-bbox-layout', '-enc', 'UTF-8', path, '-'], limits.timeoutMs);
  if (out.code !== 0) throw withCause(new DocumentError(`page ${index + 1} of the PDF is damaged and cannot be read; save the PDF again and upload it`), firstLine(out.stderr));
  const scale = limits.dpi / 72;
  const pageTag = /<page width="([\d.]+)" height="([\d.]+)"/.exec(out.stdout);
  const blocks: Block[] = [];
  let characters = 0;
  for (const b of out.stdout.matchAll(/<block([^>]*)>([\s\S]*?)<\/block>/g)) {
    const lines: Line[] = [];
    for (const l of (b[2] ?? '').matchAll(/<line([^>]*)>([\s\S]*?)<\/line>/g)) {
      const words: Word[] = [];
      for (const w of (l[2] ?? '').matchAll(/<word([^>]*)>([\s\S]*?)<\/word>/g)) {
        const text = decodeEntities(w[2] ?? '').trim();
        if (!text) continue;
        characters += text.length;
        words.push({ text, bbox: attrBox(w[1] ?? '', scale), confidence: 1 });
      }
      if (words.length) lines.push({ text: words.map((w) => w.text).join(' '), bbox: attrBox(l[1] ?? '', scale), confidence: 1, words });
    }
    if (lines.length) {
      blocks.push({ text: lines.map((l) => l.text).join('\n'), bbox: attrBox(b[1] ?? '', scale), confidence: 1, kind: 'paragraph', lines });
    }
  }
  return {
    width: Math.round(Number(pageTag?.[1] ?? 0) * scale),
    height: Math.round(Number(pageTag?.[2] ?? 0) * scale),
    blocks,
    characters,
  };
}

/** Whether the page draws any image (a scan): `pdfimages -list` prints one row per image. */
export async function pageHasImages(path: string, index: number, limits: IntakeLimits): Promise<boolean> {
  const page = String(index + 1);
  const out = await run('pdfimages', ['-f', page, '-l', page, '-list', path], limits.timeoutMs);
  return out.code === 0 && out.stdout.trim().split('\n').length > 2;
}

/** Rasterises one page to an 8-bit grey uncompressed TIFF: the fastest format both sharp and Tesseract read. */
export async function rasterisePage(path: string, index: number, workDir: string, limits: IntakeLimits): Promise<string> {
  const page = String(index + 1);
  const prefix = join(workDir, `pdf-${index}`);
  const out = await run(
    'pdftoppm',
    ['-f', page, '-l', page, '-r', String(limits.dpi), '-gray', '-tiff', '-tiffcompression', 'none', path, prefix],
    limits.timeoutMs,
  );
  const produced = (await readdir(workDir)).find((f) => f.startsWith(`pdf-${index}`) && f.endsWith('.tif'));
  if (out.code !== 0 || !produced) {
    throw withCause(new DocumentError(`page ${index + 1} of the PDF is damaged and cannot be rendered; save the PDF again and upload it`), firstLine(out.stderr));
  }
  return join(workDir, produced);
}
