import type { InputKind } from '@ocr/domain';

/** Leading bytes needed to tell every supported type apart. */
export const SNIFF_BYTES = 1024;

const startsWith = (head: Buffer, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);

/** The document type from its magic numbers; the file name and the client's content type are ignored. */
export function sniffType(head: Buffer): InputKind | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  const six = head.subarray(0, 6).toString('latin1');
  if (six === 'GIF87a' || six === 'GIF89a') return 'gif';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (head.subarray(0, 2).toString('latin1') === 'BM' && head.length >= 26) return 'bmp';
  // PDF readers accept the header anywhere in the first kilobyte (some files start with junk).
  if (head.subarray(0, SNIFF_BYTES).includes('%PDF-')) return 'pdf';
  return null;
}
