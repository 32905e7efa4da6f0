import { spawn } from 'node:child_process';
import { PDFDict, PDFName, PDFRawStream, PDFRef, type PDFContext, type PDFPageLeaf } from 'pdf-lib';

/**
 * Rewrites a JPEG with optimal Huffman tables (`jpegtran -optimize`): the same coefficients, so the
 * same pixels, typically 5-10% smaller. ICC profiles are kept, other markers (EXIF, comments) are
 * not: a PDF ignores them. Any failure (jpegtran missing, odd JPEG, time out) keeps the original.
 */
export function optimizeJpeg(bytes: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const child = spawn('jpegtran', ['-optimize', '-copy', 'icc'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.once('error', () => {
      clearTimeout(timer);
      resolve(bytes);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks);
      resolve(code === 0 && out.length > 0 && out.length < bytes.length ? out : bytes);
    });
    child.stdin.once('error', () => undefined);
    child.stdin.end(Buffer.from(bytes));
  });
}

function isPlainJpeg(stream: PDFRawStream): boolean {
  const filter = stream.dict.get(PDFName.of('Filter'));
  if (filter instanceof PDFName) return filter === PDFName.of('DCTDecode');
  return false;
}

/** Optimises, in place, the plain JPEG images a page draws directly. */
export async function optimizePageJpegs(context: PDFContext, page: PDFPageLeaf, timeoutMs: number): Promise<void> {
  const xobjects = page.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return;
  for (const [, ref] of xobjects.entries()) {
    if (!(ref instanceof PDFRef)) continue;
    const stream = context.lookup(ref);
    if (!(stream instanceof PDFRawStream) || !isPlainJpeg(stream)) continue;
    const optimised = await optimizeJpeg(stream.contents, timeoutMs);
    if (optimised !== stream.contents) context.assign(ref, PDFRawStream.of(stream.dict, optimised));
  }
}
