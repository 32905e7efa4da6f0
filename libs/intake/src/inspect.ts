import { open } from 'node:fs/promises';
import { AppError, type InputKind } from '@ocr/domain';
import { checkComplete } from './complete';
import { inspectImage } from './images';
import type { FileBudget, IntakeLimits } from './limits';
import { inspectPdf } from './pdf';
import { SNIFF_BYTES, sniffType } from './sniff';

export interface DocumentInfo {
  kind: InputKind;
  pageCount: number;
  /** Decoded pixels over every page (PDF pages at the raster resolution). */
  pixels: number;
}

const SUPPORTED = 'PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF';

/**
 * Detects the type from the bytes, checks the file is whole, counts pages and checks every limit
 * (the caller's plan's `budget` too), without decoding pixels.
 */
export async function inspectDocument(path: string, limits: IntakeLimits, budget?: FileBudget): Promise<DocumentInfo> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(SNIFF_BYTES);
  let read: number;
  let size: number;
  try {
    read = (await handle.read(head, 0, SNIFF_BYTES, 0)).bytesRead;
    size = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  const kind = sniffType(head.subarray(0, read));
  if (!kind) throw new AppError('unsupported_type', `unsupported file type; send one of ${SUPPORTED}`);
  await checkComplete(path, kind, size);
  if (kind === 'pdf') {
    const pdf = await inspectPdf(path, limits, budget);
    return { kind, pageCount: pdf.pages, pixels: pdf.pixels };
  }
  const image = await inspectImage(path, kind, limits, budget);
  return { kind, pageCount: image.frames, pixels: image.pixels };
}
