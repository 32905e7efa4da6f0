import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { degrees, PDFDocument, type PDFImage, type PDFPage, type PDFRef } from 'pdf-lib';
import { composeAffine, IDENTITY, type Affine, type InputKind, type PageContent } from '@ocr/domain';
import type { PageView } from '@ocr/jobs';
import { embedGlyphlessFont } from './glyphless-font';
import { optimizeJpeg, optimizePageJpegs } from './jpeg-optimize';
import { processedToReceived, processedToUser, rasterToUser, type PdfBox } from './page-geometry';
import { pdfMatrix, textLayerStream } from './text-layer';

export interface PageImageSource {
  /** The page image as received (same pixels the recognition started from). */
  imagePath(index: number): Promise<{ path: string; dpi: number }>;
}

function recognised(view: PageView): PageContent | null {
  return view.status === 'done' && view.source === 'ocr' && view.width ? (view as PageContent) : null;
}

/**
 * How to show a recognised PDF page the way it was read: the residual skew is turned out of the
 * page's own content (its image stream untouched, only drawn turned about the crop box's centre)
 * and the cardinal turn goes into /Rotate, so the page shows upright and straight and its text
 * runs level, as readers and text extractors expect.
 */
function straightening(processedToUser: Affine, crop: PdfBox): { content: Affine; rotate: number } {
  const angle = (Math.atan2(processedToUser[1], processedToUser[0]) * 180) / Math.PI;
  const cardinal = Math.round(angle / 90) * 90;
  const delta = cardinal - angle;
  const rotate = ((cardinal % 360) + 360) % 360;
  if (Math.abs(delta) < 0.05) return { content: IDENTITY, rotate };
  const t = (delta * Math.PI) / 180;
  const [cx, cy] = [crop.x + crop.width / 2, crop.y + crop.height / 2];
  const turn: Affine = [Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t), 0, 0];
  return { content: composeAffine([1, 0, 0, 1, cx, cy], composeAffine(turn, [1, 0, 0, 1, -cx, -cy])), rotate };
}

function addTextLayer(doc: PDFDocument, page: PDFPage, content: PageContent, font: PDFRef, receivedToUser: Affine): void {
  const name = page.node.newFontDictionary('OCRText', font).asString().slice(1);
  const ops = textLayerStream(content, processedToUser(content, receivedToUser), name);
  if (ops) page.node.addContentStream(doc.context.register(doc.context.flateStream(ops)));
}

/**
 * The original PDF with an invisible text layer on each recognised page. Nothing else changes: the
 * scans keep their own image streams, and pages that had a text layer are left as they were. Earlier
 * content is wrapped in q/Q so whatever state it leaves cannot displace the new text.
 */
export async function overlayOnPdf(pdfPath: string, pages: readonly PageView[], tessdataDir: string | null, timeoutMs: number): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await readFile(pdfPath), { updateMetadata: false });
  const font = embedGlyphlessFont(doc, tessdataDir);
  for (const view of pages) {
    const content = recognised(view);
    if (!content || uploadIndex(view) >= doc.getPageCount()) continue;
    const page = doc.getPage(uploadIndex(view));
    const crop = page.getCropBox();
    const received = rasterToUser(crop, page.getRotation().angle, content.dpi);
    const upright = straightening(composeAffine(received, processedToReceived(content)), crop);
    page.node.normalize();
    page.node.wrapContentStreams(
      doc.context.register(doc.context.stream(`q ${pdfMatrix(upright.content)} cm\n`)),
      doc.context.register(doc.context.stream('\nQ\n')),
    );
    page.setRotation(degrees(upright.rotate));
    await optimizePageJpegs(doc, page, timeoutMs);
    addTextLayer(doc, page, content, font, composeAffine(upright.content, received));
  }
  // pages=: the searchable PDF holds the job's pages only, not the pages it was not asked to read.
  const kept = new Set(pages.map(uploadIndex));
  for (let i = doc.getPageCount() - 1; i >= 0; i--) if (!kept.has(i)) doc.removePage(i);
  return doc.save();
}

/** The 0-based page of the upload a job page was read from (pages= makes them differ). */
function uploadIndex(view: PageView): number {
  return (view.source_page ?? view.index + 1) - 1;
}

/** JPEG keeps its coefficients (no generation loss, Huffman tables optimised); anything else goes in losslessly as PNG. */
async function embedImage(doc: PDFDocument, path: string, kind: InputKind, passThrough: boolean, timeoutMs: number): Promise<PDFImage> {
  if (passThrough && kind === 'jpeg') return doc.embedJpg(await optimizeJpeg(await readFile(path), timeoutMs));
  if (passThrough && kind === 'png') return doc.embedPng(await readFile(path));
  return doc.embedPng(await sharp(path, { limitInputPixels: false }).png({ compressionLevel: 9 }).toBuffer());
}

/**
 * A new PDF with one page per image page. Each page has the geometry of the recognised page (so a
 * rotated or skewed scan shows upright and straight) while the image is the original one, placed
 * by the recognition's transform: straightening costs no resampling.
 */
export async function pagesFromImages(
  kind: InputKind,
  sourcePath: string,
  pages: readonly PageView[],
  images: PageImageSource,
  tessdataDir: string | null,
  timeoutMs: number,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = embedGlyphlessFont(doc, tessdataDir);
  for (const view of pages) {
    const { path, dpi: receivedDpi } = await images.imagePath(uploadIndex(view));
    const image = await embedImage(doc, path, kind, path === sourcePath, timeoutMs);
    const content = recognised(view);
    const dpi = content?.dpi ?? receivedDpi;
    const k = 72 / dpi;
    const width = content?.width ?? image.width;
    const height = content?.height ?? image.height;
    const page = doc.addPage([width * k, height * k]);
    // Pixels of the recognised page (y down) to user space.
    const processedToPage: Affine = [k, 0, 0, -k, 0, height * k];
    const receivedToUser = composeAffine(processedToPage, content?.transform ?? IDENTITY);
    // The image's unit square to its pixels (y down), then on to the page.
    const imageMatrix = composeAffine(receivedToUser, [image.width, 0, 0, -image.height, 0, image.height]);
    const name = page.node.newXObject('Scan', image.ref).asString();
    const draw = `q ${pdfMatrix(imageMatrix)} cm ${name} Do Q\n`;
    page.node.addContentStream(doc.context.register(doc.context.flateStream(draw)));
    if (content) addTextLayer(doc, page, content, font, receivedToUser);
  }
  return doc.save();
}
