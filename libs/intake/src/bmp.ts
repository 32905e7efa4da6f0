import { DocumentError } from '@ocr/domain';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  topDown: boolean;
  dataOffset: number;
  headerSize: number;
  paletteSize: number;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** Reads the BMP headers (BITMAPINFOHEADER and later; OS/2 core headers too). Throws on nonsense. */
export function readBmpHeader(buf: Buffer): BmpHeader {
  if (buf.length < 26 || buf.toString('latin1', 0, 2) !== 'BM') throw new DocumentError('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  let width: number;
  let rawHeight: number;
  let bitsPerPixel: number;
  let compression = BI_RGB;
  let paletteSize = 0;
  if (headerSize === 12) {
    width = buf.readUInt16LE(18);
    rawHeight = buf.readInt16LE(20);
    bitsPerPixel = buf.readUInt16LE(24);
  } else if (headerSize >= 40 && buf.length >= 14 + 40) {
    width = buf.readInt32LE(18);
    rawHeight = buf.readInt32LE(22);
    bitsPerPixel = buf.readUInt16LE(28);
    compression = buf.readUInt32LE(30);
    paletteSize = buf.readUInt32LE(46);
  } else {
    throw new DocumentError('BMP header is truncated or of an unknown version');
  }
  if (width <= 0 || rawHeight === 0) throw new DocumentError('BMP has no pixels');
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw new DocumentError(`BMP with ${bitsPerPixel} bits per pixel is not supported`);
  if (![BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression)) {
    throw new DocumentError('compressed (RLE/JPEG/PNG) BMP files are not supported; convert to PNG');
  }
  return { width, height: Math.abs(rawHeight), bitsPerPixel, compression, topDown: rawHeight < 0, dataOffset, headerSize, paletteSize };
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

/** Decodes an uncompressed BMP to 8-bit grey pixels (all OCR needs), row 0 at the top. */
export function decodeBmpToGrey(buf: Buffer, header: BmpHeader = readBmpHeader(buf)): Buffer {
  const { width, height, bitsPerPixel: bpp, topDown, dataOffset } = header;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new DocumentError('BMP pixel data is truncated');
  const grey = Buffer.alloc(width * height);
  const luma = (r: number, g: number, b: number) => (r * 299 + g * 587 + b * 114) / 1000;

  let palette: number[] = [];
  if (bpp <= 8) {
    const entrySize = header.headerSize === 12 ? 3 : 4;
    const count = header.paletteSize || 1 << bpp;
    const start = 14 + header.headerSize;
    palette = Array.from({ length: count }, (_, i) => {
      const o = start + i * entrySize;
      return o + 2 < buf.length ? luma(buf[o + 2] as number, buf[o + 1] as number, buf[o] as number) : 0;
    });
  }
  let masks = { r: 0x00ff0000, g: 0x0000ff00, b: 0x000000ff };
  if (bpp === 16) masks = { r: 0x7c00, g: 0x03e0, b: 0x001f };
  if (header.compression !== BI_RGB && header.headerSize >= 52) {
    masks = { r: buf.readUInt32LE(54), g: buf.readUInt32LE(58), b: buf.readUInt32LE(62) };
  } else if (header.compression !== BI_RGB && buf.length >= 66) {
    masks = { r: buf.readUInt32LE(54), g: buf.readUInt32LE(58), b: buf.readUInt32LE(62) };
  }
  const mr = maskShift(masks.r);
  const mg = maskShift(masks.g);
  const mb = maskShift(masks.b);
  const channel = (v: number, m: { shift: number; max: number }) => (m.max ? (((v >>> m.shift) & m.max) * 255) / m.max : 0);

  for (let row = 0; row < height; row++) {
    const src = dataOffset + (topDown ? row : height - 1 - row) * stride;
    const dst = row * width;
    for (let x = 0; x < width; x++) {
      let value: number;
      if (bpp === 24) value = luma(buf[src + x * 3 + 2] as number, buf[src + x * 3 + 1] as number, buf[src + x * 3] as number);
      else if (bpp === 32 && header.compression === BI_RGB) {
        value = luma(buf[src + x * 4 + 2] as number, buf[src + x * 4 + 1] as number, buf[src + x * 4] as number);
      } else if (bpp === 32 || bpp === 16) {
        const v = bpp === 32 ? buf.readUInt32LE(src + x * 4) : buf.readUInt16LE(src + x * 2);
        value = luma(channel(v, mr), channel(v, mg), channel(v, mb));
      } else {
        const bitOffset = x * bpp;
        const byte = buf[src + (bitOffset >> 3)] as number;
        const index = (byte >> (8 - bpp - (bitOffset & 7))) & ((1 << bpp) - 1);
        value = palette[index] ?? 0;
      }
      grey[dst + x] = Math.round(value);
    }
  }
  return grey;
}
