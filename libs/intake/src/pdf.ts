import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentError } from '@ocr/domain';
import { checkPageCount, checkPixels, type IntakeLimits } from './limits';
import { run } from './run';

export interface PdfInfo {
  pages: number;
  /** Page sizes in points, after /Rotate. */
  sizes: Array<{ width: number; height: number }>;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** Page count and sizes, with every page checked against the limits at the raster resolution. */
export async function inspectPdf(path: string, limits: IntakeLimits): Promise<PdfInfo> {
  const head = await run('pdfinfo', [path], limits.timeoutMs);
  if (head.code !== 0) {
    if (/password/i.test(head.stderr)) throw new DocumentError('the PDF is password-protected; remove the password and upload again');
    throw new DocumentError(`the PDF cannot be read: ${firstLine(head.stderr) || 'damaged file'}`);
  }
  const pages = Number(/^Pages:\s+(\d+)/m.exec(head.stdout)?.[1] ?? 0);
  checkPageCount(pages, limits);
  const detail = await run('pdfinfo', ['-f', '1', '-l', String(pages), path], limits.timeoutMs);
  const sizes: PdfInfo['sizes'] = [];
  const rotations = new Map<number, number>();
  for (const m of detail.stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) rotations.set(Number(m[1]), Number(m[2]));
  for (const m of detail.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)) {
    const [w, h] = [Number(m[2]), Number(m[3])];
    const quarter = (rotations.get(Number(m[1])) ?? 0) % 180 === 90;
    sizes.push(quarter ? { width: h, height: w } : { width: w, height: h });
  }
  sizes.forEach((s, i) => {
    checkPixels(Math.round((s.width * limits.dpi) / 72), Math.round((s.height * limits.dpi) / 72), limits, i);
  });
  return { pages, sizes };
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
    throw new DocumentError(`the PDF page ${index + 1} cannot be rendered: ${firstLine(out.stderr) || 'damaged page'}`);
  }
  return join(workDir, produced);
}
