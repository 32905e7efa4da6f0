import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentError } from '@ocr/domain';
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
