import { open } from 'node:fs/promises';
import { DocumentError, type InputKind } from '@ocr/domain';
import { readBmpHeader } from './bmp';

/** What a user is told about a file that stops before its data does. */
export const INCOMPLETE_FILE =
  'the file is incomplete: it ends before its data does (cut off while copying or uploading?); upload the whole file again';

/** Tail bytes searched for an end marker (writers may append a little after it). */
const TAIL_BYTES = 64 * 1024;
/** IFDs followed in a TIFF before giving up the check (the page count is limited elsewhere). */
const MAX_TIFF_IFDS = 10_000;

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, length));
    const { bytesRead } = await handle.read(buf, 0, buf.length, Math.max(0, position));
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * A cheap check, from markers and declared sizes only, that the file is whole: a truncated upload
 * is refused at intake (400) with one message, whatever its type, instead of failing pages later.
 * Damage inside a whole file shows when the page is decoded and fails that page.
 */
export async function checkComplete(path: string, kind: InputKind, size: number): Promise<void> {
  const complete = await isComplete(path, kind, size);
  if (!complete) throw new DocumentError(INCOMPLETE_FILE);
}

async function isComplete(path: string, kind: InputKind, size: number): Promise<boolean> {
  switch (kind) {
    case 'png':
      return (await readAt(path, size - 4096, 4096)).includes('IEND');
    case 'jpeg': {
      const eoi = Buffer.from([0xff, 0xd9]);
      if ((await readAt(path, size - TAIL_BYTES, TAIL_BYTES)).includes(eoi)) return true;
      // A long trailer after the image (some cameras append one): any end-of-image marker will do.
      return (await readAt(path, 0, size)).includes(eoi);
    }
    case 'webp': {
      const head = await readAt(path, 0, 12);
      return head.length >= 12 && head.readUInt32LE(4) + 8 <= size;
    }
    case 'bmp': {
      const header = readBmpHeader(await readAt(path, 0, 256));
      const rowBytes = Math.ceil((header.width * header.bitsPerPixel) / 32) * 4;
      return header.dataOffset + rowBytes * header.height <= size;
    }
    case 'tiff':
      return tiffComplete(path, size);
    default:
      return true; // GIF has no declared size; PDF is checked by poppler
  }
}

const TAG_STRIP_OFFSETS = 273;
const TAG_STRIP_BYTES = 279;
const TAG_TILE_OFFSETS = 324;
const TAG_TILE_BYTES = 325;
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8 };

/** Every IFD, and every strip or tile it points at, lies inside the file (classic TIFF; BigTIFF is not checked). */
async function tiffComplete(path: string, size: number): Promise<boolean> {
  const buf = await readAt(path, 0, size);
  const le = buf[0] === 0x49;
  if (buf.length < 8) return false;
  const u16 = (at: number) => (le ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  if (u16(2) !== 42) return true;
  const values = (type: number, count: number, at: number): number[] | null => {
    const width = TYPE_SIZES[type] ?? 0;
    if (width !== 2 && width !== 4) return [];
    const start = count * width <= 4 ? at : u32(at);
    if (start + count * width > buf.length) return null;
    return Array.from({ length: count }, (_, i) => (width === 2 ? u16(start + i * 2) : u32(start + i * 4)));
  };
  const seen = new Set<number>();
  let ifd = u32(4);
  while (ifd !== 0) {
    if (seen.has(ifd) || seen.size >= MAX_TIFF_IFDS) return true; // a loop is poppler's/libtiff's to report
    seen.add(ifd);
    if (ifd + 2 > buf.length) return false;
    const entries = u16(ifd);
    if (ifd + 2 + entries * 12 + 4 > buf.length) return false;
    const tags = new Map<number, number[] | null>();
    for (let i = 0; i < entries; i++) {
      const at = ifd + 2 + i * 12;
      const tag = u16(at);
      if ([TAG_STRIP_OFFSETS, TAG_STRIP_BYTES, TAG_TILE_OFFSETS, TAG_TILE_BYTES].includes(tag)) tags.set(tag, values(u16(at + 2), u32(at + 4), at + 8));
    }
    for (const [offsetsTag, bytesTag] of [
      [TAG_STRIP_OFFSETS, TAG_STRIP_BYTES],
      [TAG_TILE_OFFSETS, TAG_TILE_BYTES],
    ] as const) {
      const offsets = tags.get(offsetsTag);
      const counts = tags.get(bytesTag);
      if (offsets === null || counts === null) return false;
      if (!offsets || !counts) continue;
      for (let i = 0; i < Math.min(offsets.length, counts.length); i++) {
        if ((offsets[i] ?? 0) + (counts[i] ?? 0) > size) return false;
      }
    }
    ifd = u32(ifd + 2 + entries * 12);
  }
  return true;
}
