import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { pdfFromObjects } from './pdf-objects';

/** Files that are cheap to send and expensive to read, or damaged: written byte by byte. */

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header declaring width x height, with a tiny IDAT: what a decompression bomb looks like up front. */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function u24(v: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntLE(v, 0, 3);
  return b;
}

/** An animated WEBP of `frames` identical tiny frames (a few KB whatever the count). */
export async function animatedWebp(frames: number, side = 16): Promise<Buffer> {
  const single = await sharp({ create: { width: side, height: side, channels: 3, background: '#ffffff' } }).webp({ lossless: true }).toBuffer();
  const bitstream = single.subarray(12); // the VP8L chunk, header included
  const vp8x = riffChunk('VP8X', Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24(side - 1), u24(side - 1)]));
  const anim = riffChunk('ANIM', Buffer.from([255, 255, 255, 255, 0, 0]));
  const anmf = Array.from({ length: frames }, () =>
    riffChunk('ANMF', Buffer.concat([u24(0), u24(0), u24(side - 1), u24(side - 1), u24(100), Buffer.from([0]), bitstream])),
  );
  const body = Buffer.concat([Buffer.from('WEBP', 'ascii'), vp8x, anim, ...anmf]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}


/** `count` empty pages of side x side points: about a kilobyte, each page a huge raster at 300 dpi. */
export function pdfOfHugePages(count: number, side: number): Buffer {
  const pages = Array.from({ length: count }, () => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${side} ${side}] >>`);
  const kids = pages.map((_, i) => `${i + 3} 0 R`).join(' ');
  return pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, ...pages]);
}

/** A page tree whose node lists itself among its kids. */
export function pdfWithPageTreeLoop(): Buffer {
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 3 >>',
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 3 >>',
  ]);
}
