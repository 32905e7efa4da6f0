import { open } from 'node:fs/promises';
import { AppError, type InputKind } from '@ocr/domain';
import { inspectImage } from './images';
import type { IntakeLimits } from './limits';
import { inspectPdf } from './pdf';
import { SNIFF_BYTES, sniffType } from './sniff';

export interface DocumentInfo {
  kind: InputKind;
  pageCount: number;
}

const SUPPORTED = 'PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF';

/** Detects the type from the bytes, counts pages and checks every limit, without decoding pixels. */
export async function inspectDocument(path: string, limits: IntakeLimits): Promise<DocumentInfo> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(SNIFF_BYTES);
  let read: number;
  try {
    read = (await handle.read(head, 0, SNIFF_BYTES, 0)).bytesRead;
  } finally {
    await handle.close();
  }
  const kind = sniffType(head.subarray(0, read));
  if (!kind) throw new AppError('unsupported_type', `unsupported file type; send one of ${SUPPORTED}`);
  const pageCount = kind === 'pdf' ? (await inspectPdf(path, limits)).pages : await inspectImage(path, kind, limits);
  return { kind, pageCount };
}
