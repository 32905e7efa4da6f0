import { join } from 'node:path';
import sharp from 'sharp';
import { rotationAffine, type Affine } from '@ocr/domain';

let counter = 0;

export interface RotatedImage {
  path: string;
  /** Maps a pixel of the input image to the rotated one. */
  transform: Affine;
}

/** Rotates an image clockwise by `degrees` onto a white background, into workDir (fast PNG). */
export async function rotateImage(imagePath: string, degrees: number, workDir: string): Promise<RotatedImage> {
  const out = join(workDir, `rot-${process.pid}-${counter++}.png`);
  const input = sharp(imagePath, { limitInputPixels: false });
  const { width = 0, height = 0 } = await input.metadata();
  const info = await input.rotate(degrees, { background: '#ffffff' }).greyscale().png({ compressionLevel: 1 }).toFile(out);
  return { path: out, transform: rotationAffine(degrees, width, height, info.width, info.height) };
}

/** Enlarges an image by `factor` (Lanczos), into workDir. */
export async function scaleImage(imagePath: string, factor: number, workDir: string): Promise<RotatedImage> {
  const out = join(workDir, `scale-${process.pid}-${counter++}.png`);
  const input = sharp(imagePath, { limitInputPixels: false });
  const { width = 0 } = await input.metadata();
  const info = await input
    .resize({ width: Math.round(width * factor), kernel: 'lanczos3' })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toFile(out);
  const fx = info.width / Math.max(1, width);
  return { path: out, transform: [fx, 0, 0, fx, 0, 0] };
}

/** Pixel size of an image, from its header. */
export async function imageSize(imagePath: string): Promise<{ width: number; height: number }> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  return { width, height };
}
