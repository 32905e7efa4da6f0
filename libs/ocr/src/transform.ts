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
