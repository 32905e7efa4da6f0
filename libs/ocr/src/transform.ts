import { open } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { densityFromWidth, engineTiffOptions, jpegDeclaredDensity, rotationAffine, scalingAffine, type Affine } from '@ocr/domain';

let counter = 0;

export interface RotatedImage {
  path: string;
  /** Maps a pixel of the input image to the rotated one. */
  transform: Affine;
}

/**
 * Writes an image the engine will read: one grey channel, uncompressed TIFF. Tesseract read a
 * levelled 300 dpi page 0.3 s faster (2.05 s against 2.37 s, same text) than the same pixels as a
 * PNG at compression level 1, which it spent inflating; writing either costs the same.
 */
export function toEngineImage(image: sharp.Sharp, out: string, density: number | undefined): Promise<sharp.OutputInfo> {
  return image.toColourspace('b-w').tiff(engineTiffOptions(density)).toFile(out);
}

/** JPEG headers before the first scan: the JFIF segment comes first, EXIF and ICC data after it. */
const JPEG_HEADER_BYTES = 64 * 1024;

/**
 * The resolution the images made from this one carry: its own where Tesseract finds one, else the
 * one guessed from its width, as for the page's `dpi` (a JPEG without a JFIF resolution, which sharp
 * reports as 72 dpi, or a TIFF without one). Tesseract's own estimate, made on each copy, was not
 * stable: 504 dpi on a levelled scanned Japanese page (26.9% CER; 2.5% at 72 dpi and at the 290 its
 * width suggests), while 72 dpi read a scanned Gurmukhi page as empty and scanned French, Ukrainian
 * and Tibetan pages at 17-40% CER (0-0.6% and 10% at their widths' resolutions).
 */
export async function engineDensity(imagePath: string, meta: sharp.Metadata): Promise<number | undefined> {
  const guessed = densityFromWidth(meta.width ?? 0);
  if (meta.format === 'tiff') return meta.density ?? guessed;
  if (meta.format !== 'jpeg') return meta.density;
  const file = await open(imagePath, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(JPEG_HEADER_BYTES), 0, JPEG_HEADER_BYTES, 0);
    return jpegDeclaredDensity(buffer.subarray(0, bytesRead), meta.density) ?? guessed;
  } finally {
    await file.close();
  }
}

/** File name for an image made for the engine, in workDir. */
export function engineImagePath(workDir: string, kind: string): string {
  return join(workDir, `${kind}-${process.pid}-${counter++}.tif`);
}

/** Rotates an image clockwise by `degrees` onto a white background, into workDir. */
export async function rotateImage(imagePath: string, degrees: number, workDir: string): Promise<RotatedImage> {
  const out = engineImagePath(workDir, 'rot');
  const input = sharp(imagePath, { limitInputPixels: false });
  const meta = await input.metadata();
  const { width = 0, height = 0 } = meta;
  const info = await toEngineImage(input.rotate(degrees, { background: '#ffffff' }).greyscale(), out, await engineDensity(imagePath, meta));
  return { path: out, transform: rotationAffine(degrees, width, height, info.width, info.height) };
}

/** Enlarges an image by `factor` (Lanczos), into workDir. */
export async function scaleImage(imagePath: string, factor: number, workDir: string): Promise<RotatedImage> {
  const out = engineImagePath(workDir, 'scale');
  const input = sharp(imagePath, { limitInputPixels: false });
  const meta = await input.metadata();
  const width = meta.width ?? 0;
  const info = await toEngineImage(input.resize({ width: Math.round(width * factor), kernel: 'lanczos3' }).greyscale(), out, await engineDensity(imagePath, meta));
  const fx = info.width / Math.max(1, width);
  return { path: out, transform: scalingAffine(fx) };
}

/** Pixel size of an image, from its header. */
export async function imageSize(imagePath: string): Promise<{ width: number; height: number }> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  return { width, height };
}
