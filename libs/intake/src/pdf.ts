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

/**
 * A scan's own resolution is raised to at least this before reading: Tesseract reads small type
 * better above 200 dpi, while rendering a 113 ppi scan at 300 dpi only interpolated (four pages: 6.5 s
 * and 2.19% CER at 300 dpi, 5.1 s and 1.90% at 200, 4.4 s and 2.07% at 150).
 */
const MIN_SCAN_DPI = 200;

/**
 * The resolution to rasterise a scanned page at: its largest image's own (no finer than `limits.dpi`,
 * no coarser than MIN_SCAN_DPI), or `limits.dpi` when the page shows no image.
 */
export async function scanResolution(path: string, index: number, limits: IntakeLimits): Promise<number> {
  const page = String(index + 1);
  const out = await run('pdfimages', ['-f', page, '-l', page, '-list', path], limits.timeoutMs).catch(() => null);
  let largest = 0;
  let ppi = 0;
  // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
  for (const row of out?.code === 0 ? out.stdout.split('\n').slice(2) : []) {
    const cells = row.trim().split(/\s+/);
    const [width, height, xPpi, yPpi] = [Number(cells[3]), Number(cells[4]), Number(cells[12]), Number(cells[13])];
    if (!(width * height > largest) || !(xPpi > 0 && yPpi > 0)) continue;
    largest = width * height;
    ppi = Math.max(xPpi, yPpi);
  }
  return ppi > 0 ? Math.min(limits.dpi, Math.max(MIN_SCAN_DPI, Math.round(ppi))) : limits.dpi;
}

/** Rasterises one page at `dpi` to an 8-bit grey uncompressed TIFF: the fastest format both sharp and Tesseract read. */
export async function rasterisePage(path: string, index: number, workDir: string, limits: IntakeLimits, dpi = limits.dpi): Promise<string> {
  const page = String(index + 1);
  const prefix = join(workDir, `pdf-${index}`);
  const out = await run(
    'pdftoppm',
    ['-f', page, '-l', page, '-r', String(dpi), '-gray', '-tiff', '-tiffcompression', 'none', path, prefix],
    limits.timeoutMs,
  );
  const produced = (await readdir(workDir)).find((f) => f.startsWith(`pdf-${index}`) && f.endsWith('.tif'));
  if (out.code !== 0 || !produced) {
    throw withCause(new DocumentError(`page ${index + 1} of the PDF is damaged and cannot be rendered; save the PDF again and upload it`), firstLine(out.stderr));
  }
  return join(workDir, produced);
}
