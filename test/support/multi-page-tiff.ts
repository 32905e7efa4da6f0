import { join } from 'node:path';
import sharp from 'sharp';
import { corpusPath } from './corpus';

/** A TIFF of `pages` copies of phototest: long enough that a kill lands mid-job. */
export async function multiPageTiff(dir: string, pages: number): Promise<string> {
  const { data, info } = await sharp(corpusPath('printed/tess_phototest.tif')).greyscale().raw().toBuffer({ resolveWithObject: true });
  const path = join(dir, `pages-${pages}.tif`);
  // libvips writes a "toilet roll" image with a page height as one TIFF page per frame.
  await sharp(Buffer.concat(Array.from({ length: pages }, () => data)), {
    raw: { width: info.width, height: info.height * pages, channels: info.channels, pageHeight: info.height },
  })
    .tiff({ compression: 'lzw', xres: 200 / 25.4, yres: 200 / 25.4 })
    .toFile(path);
  return path;
}
