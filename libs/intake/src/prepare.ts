import sharp from 'sharp';
import type { Block, InputKind } from '@ocr/domain';
import { prepareImage } from './images';
import type { IntakeLimits } from './limits';
import { rasterisePage, scanResolution } from './pdf';
import { pagesWithImages, readTextLayers, type PdfPageText } from './text-layer';

export type PreparedPage =
  | { kind: 'image'; imagePath: string; width: number; height: number; dpi: number; dpiFromFile: boolean }
  | {
      kind: 'text-layer';
      width: number;
      height: number;
      dpi: number;
      blocks: Block[];
      /** What reading the page's text layer cost it (see PdfPageText.extractMs). */
      extractMs: number;
    };

/** A page with at least this much text is read from its text layer even if it also shows images. */
const TEXT_LAYER_MIN_CHARS = 200;

/** One page's text layer read on its own (callers without a TextLayerStreams, e.g. exports). */
async function singlePageText(sourcePath: string, index: number, limits: IntakeLimits): Promise<PdfPageText> {
  const started = performance.now();
  const pages = await readTextLayers(sourcePath, index, index, limits).catch(() => null);
  return {
    layer: pages?.[0] ?? null,
    hasImages: async () => (await pagesWithImages(sourcePath, index, index, limits)).has(index),
    extractMs: Math.round(performance.now() - started),
  };
}

/**
 * Page `index` of the upload, ready for recognition. PDF pages that carry a real text layer are
 * read from it (exact text and boxes, no OCR): pages with plenty of text, or with text and no
 * images. Scanned pages are rasterised at their images' own resolution (scanResolution) into `workDir` (made on first use when it is
 * a function). `pdfText` is the page's text layer when
 * the caller reads them a document at a time (TextLayerStreams); without it the page is read on its own.
 */
export async function preparePage(
  sourcePath: string,
  kind: InputKind,
  index: number,
  workDir: string | (() => Promise<string>),
  limits: IntakeLimits,
  pdfText?: () => Promise<PdfPageText>,
): Promise<PreparedPage> {
  // A directory is made only for pages that need one: a text-layer page writes no file.
  const dir = typeof workDir === 'string' ? () => Promise.resolve(workDir) : workDir;
  if (kind !== 'pdf') return { kind: 'image', ...(await prepareImage(sourcePath, kind, index, await dir(), limits)) };
  const text = await (pdfText ? pdfText() : singlePageText(sourcePath, index, limits));
  const layer = text.layer;
  if (layer && layer.characters > 0) {
    const useLayer = layer.characters >= TEXT_LAYER_MIN_CHARS || !(await text.hasImages());
    if (useLayer) {
      return { kind: 'text-layer', width: layer.width, height: layer.height, dpi: limits.dpi, blocks: layer.blocks, extractMs: text.extractMs };
    }
  }
  const dpi = await scanResolution(sourcePath, index, limits);
  const imagePath = await rasterisePage(sourcePath, index, await dir(), limits, dpi);
  const info = await sharp(imagePath).metadata();
  return { kind: 'image', imagePath, width: info.width ?? 0, height: info.height ?? 0, dpi, dpiFromFile: true };
}
