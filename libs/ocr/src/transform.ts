import { join } from 'node:path';
import sharp from 'sharp';

let counter = 0;

/** Rotates an image clockwise by `degrees` onto a white background, into workDir (fast PNG). */
export async function rotateImage(imagePath: string, degrees: number, workDir: string): Promise<string> {
  const out = join(workDir, `rot-${process.pid}-${counter++}.png`);
  await sharp(imagePath, { limitInputPixels: false })
    .rotate(degrees, { background: '#ffffff' })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toFile(out);
  return out;
}
