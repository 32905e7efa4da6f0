import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { DocumentError, engineTiffOptions, errorMessage, type InputKind } from '@ocr/domain';
import { decodeBmpToGrey, readBmpHeader } from './bmp';
import { checkFrames, checkPageCount, checkPixels, checkTotalPixels, withCause, type FileBudget, type IntakeLimits } from './limits';

/** A header's worth of bytes is enough for every BMP variant's headers and masks. */
const BMP_HEADER_BYTES = 256;

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Said to the user for any decoder failure; the decoder's own words (libtiff, libpng...) go to the log only. */
export const DAMAGED_IMAGE = 'the image is damaged and cannot be decoded; open it in an image viewer or editor, save it again and upload the new file';

function sharpFailure(err: unknown): DocumentError {
  const message = errorMessage(err);
  if (/pixel limit/i.test(message)) return new DocumentError('the image is larger than MAX_PIXELS_PER_PAGE allows');
  if (/premature end|truncated|unexpected end|end of (file|stream|data)|short read|not enough data/i.test(message)) {
    return withCause(new DocumentError('the image data is incomplete (the file seems cut off); upload the whole file again'), message.split('\n')[0] ?? message);
  }
  return withCause(new DocumentError(DAMAGED_IMAGE), message.split('\n')[0] ?? message);
}

export interface ImageCost {
  frames: number;
  /** Decoded pixels over every frame. */
  pixels: number;
}

async function metadata(path: string, page?: number): Promise<sharp.Metadata> {
  try {
    return await sharp(path, page === undefined ? { limitInputPixels: false } : { limitInputPixels: false, page, pages: 1 }).metadata();
  } catch (err) {
    throw sharpFailure(err);
  }
}

/** Frames and decoded pixels, from headers only; every limit is checked before the next header is read. */
export async function inspectImage(path: string, kind: InputKind, limits: IntakeLimits, budget?: FileBudget): Promise<ImageCost> {
  if (kind === 'bmp') {
    const header = readBmpHeader(await readHead(path, BMP_HEADER_BYTES));
    checkPixels(header.width, header.height, limits);
    checkTotalPixels(header.width * header.height, budget);
    return { frames: 1, pixels: header.width * header.height };
  }
  const meta = await metadata(path);
  const frames = kind === 'tiff' || kind === 'gif' || kind === 'webp' ? (meta.pages ?? 1) : 1;
  checkPageCount(frames, limits);
  checkFrames(frames, budget);
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  checkPixels(width, height, limits);
  // GIF and WEBP frames share one canvas; TIFF pages each have their own size, read page by page
  // (each header only after the running total is known to be within the budget).
  let pixels = kind === 'tiff' ? width * height : frames * width * height;
  for (let page = 1; kind === 'tiff' && page < frames; page++) {
    checkTotalPixels(pixels, budget);
    const pageMeta = await metadata(path, page);
    checkPixels(pageMeta.width ?? 0, pageMeta.height ?? 0, limits, page);
    pixels += (pageMeta.width ?? 0) * (pageMeta.height ?? 0);
  }
  checkTotalPixels(pixels, budget);
  return { frames, pixels };
}

export interface PreparedImage {
  imagePath: string;
  width: number;
  height: number;
  dpi: number;
  dpiFromFile: boolean;
}

/** A JPEG's headers before its first scan (the JFIF segment comes first). */
const JPEG_HEADER_BYTES = 64 * 1024;

/** Densities that image writers put in when they know nothing (JFIF's 72, screen 96). */
const PLACEHOLDER_DENSITIES = new Set([72, 96]);

/** Typical page width in inches, to guess a resolution when the file does not state one. */
const ASSUMED_PAGE_WIDTH_IN = 8.5;

/** The resolution of an image that states none, taken to be a page 8.5 inches wide (70-600 dpi). */
function densityFromWidth(width: number): number {
  return Math.max(70, Math.min(600, Math.round(width / ASSUMED_PAGE_WIDTH_IN)));
}

/**
 * A JPEG's resolution where Tesseract's image reader (leptonica, through libjpeg) finds one, else
 * undefined: a JFIF segment in dots per inch or per cm, or a density sharp took from elsewhere
 * (EXIF; `reported`). sharp reports 72 dpi for a JPEG without any.
 */
export function jpegDeclaredDensity(header: Uint8Array, reported: number | undefined): number | undefined {
  return (reported === undefined || reported === 72) && !jpegDeclaresDensity(header) ? undefined : reported;
}

function jpegDeclaresDensity(header: Uint8Array): boolean {
  let at = 2;
  while (at + 4 <= header.length && header[at] === 0xff) {
    const marker = header[at + 1];
    // Start of scan: the headers are over.
    if (marker === 0xda) return false;
    const length = ((header[at + 2] ?? 0) << 8) | (header[at + 3] ?? 0);
    if (marker === 0xe0 && String.fromCharCode(...header.subarray(at + 4, at + 9)) === 'JFIF\0') {
      const units = header[at + 11];
      return units === 1 || units === 2;
    }
    at += 2 + length;
  }
  return false;
}

/**
 * The resolution images made for the engine from this one carry (this file's converted pages, and
 * the grey, cut, turned and enlarged copies of the page pipeline): its own where Tesseract finds
 * one, else the one guessed from its width, as for the page's `dpi` (a JPEG without a JFIF
 * resolution, which sharp reports as 72 dpi, or a TIFF without one). Tesseract's own estimate, made
 * on each copy, was not stable: 504 dpi on a levelled scanned Japanese page (26.9% CER; 2.5% at 72
 * dpi and at the 290 its width suggests), while 72 dpi read a scanned Gurmukhi page as empty and
 * scanned French, Ukrainian and Tibetan pages at 17-40% CER (0-0.6% and 10% at their widths'
 * resolutions).
 */
export async function engineDensity(imagePath: string, meta: sharp.Metadata): Promise<number | undefined> {
  const guessed = densityFromWidth(meta.width ?? 0);
  if (meta.format === 'tiff') return meta.density ?? guessed;
  if (meta.format !== 'jpeg') return meta.density;
  return jpegDeclaredDensity(await readHead(imagePath, JPEG_HEADER_BYTES), meta.density) ?? guessed;
}

function resolution(meta: sharp.Metadata, width: number): { dpi: number; dpiFromFile: boolean } {
  const density = Math.round(meta.density ?? 0);
  if (density >= 100 && density <= 1200 && !PLACEHOLDER_DENSITIES.has(density)) return { dpi: density, dpiFromFile: true };
  return { dpi: densityFromWidth(width), dpiFromFile: false };
}

/**
 * Frame `index` ready for OCR. Single-frame PNG / JPEG / TIFF files that Tesseract reads as they are
 * (no EXIF rotation, no transparency) are passed through untouched: re-encoding a scan costs more
 * than the whole request overhead budget. Everything else becomes an 8-bit grey TIFF in workDir.
 */
export async function prepareImage(path: string, kind: InputKind, index: number, workDir: string, limits: IntakeLimits): Promise<PreparedImage> {
  // One grey channel, written as every image made for the engine is (engineTiffOptions).
  const out = join(workDir, `page-${index}.tif`);
  if (kind === 'bmp') {
    const buf = await readFile(path);
    const header = readBmpHeader(buf);
    checkPixels(header.width, header.height, limits);
    const grey = decodeBmpToGrey(buf, header);
    await sharp(grey, { raw: { width: header.width, height: header.height, channels: 1 } }).tiff(engineTiffOptions(undefined)).toFile(out);
    return { imagePath: out, width: header.width, height: header.height, ...resolution({} as sharp.Metadata, header.width) };
  }
  const options = { limitInputPixels: limits.maxPixelsPerPage, page: index, pages: 1 };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(path, options).metadata();
  } catch (err) {
    throw sharpFailure(err);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  checkPixels(width, height, limits, index);
  const passThrough =
    (kind === 'png' || kind === 'jpeg' || (kind === 'tiff' && (meta.pages ?? 1) === 1)) &&
    (meta.orientation ?? 1) === 1 &&
    !meta.hasAlpha &&
    (meta.bitsPerSample ?? 8) <= 8;
  if (passThrough) return { imagePath: path, width, height, ...resolution(meta, width) };
  // A multi-page TIFF's pages keep sharp's density as they always have.
  const density = kind === 'jpeg' ? await engineDensity(path, meta) : meta.density;
  try {
    const info = await sharp(path, options)
      .rotate() // applies EXIF orientation
      .flatten({ background: '#ffffff' })
      .greyscale()
      .toColourspace('b-w')
      .tiff(engineTiffOptions(density))
      .toFile(out);
    return { imagePath: out, width: info.width, height: info.height, ...resolution(meta, info.width) };
  } catch (err) {
    throw sharpFailure(err);
  }
}
