import sharp from 'sharp';
import type { Block, InputKind } from '@ocr/domain';
import { prepareImage } from './images';
import type { IntakeLimits } from './limits';
import { pageHasImages, rasterisePage, readTextLayer } from './pdf';

export type PreparedPage =
  | { kind: 'image'; imagePath: string; width: number; height: number; dpi: number; dpiFromFile: boolean }
  | { kind: 'text-layer'; width: number; height: number; dpi: number; blocks: Block[] };

/** A page with at least this much text is read from its text layer even if it also shows images. */
const TEXT_LAYER_MIN_CHARS = 200;

/**
 * Page `index` of the upload, ready for recognition. PDF pages that carry a real text layer are
 * read from it (exact text and boxes, no OCR): pages with plenty of text, or with text and no
 * images. Scanned pages are rasterised at `limits.dpi`.
 */
export async function preparePage(
  sourcePath: string,
  kind: InputKind,
  index: number,
  workDir: string,
  limits: IntakeLimits,
): Promise<PreparedPage> {
  if (kind !== 'pdf') return { kind: 'image', ...(await prepareImage(sourcePath, kind, index, workDir, limits)) };
  // A PDF that forbids copying text makes pdftotext fail; OCR still reads what it shows.
  const layer = await readTextLayer(sourcePath, index, limits).catch(() => null);
  if (layer && layer.characters > 0) {
    const useLayer = layer.characters >= TEXT_LAYER_MIN_CHARS || !(await pageHasImages(sourcePath, index, limits));
    if (useLayer) return { kind: 'text-layer', width: layer.width, height: layer.height, dpi: limits.dpi, blocks: layer.blocks };
  }
  const imagePath = await rasterisePage(sourcePath, index, workDir, limits);
  const info = await sharp(imagePath).metadata();
  return { kind: 'image', imagePath, width: info.width ?? 0, height: info.height ?? 0, dpi: limits.dpi, dpiFromFile: true };
}
