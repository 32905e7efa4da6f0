import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFPageLeaf, PDFRef, type PDFContext, type PDFImage, type PDFObject } from 'pdf-lib';
import { AppError, composeAffine, IDENTITY, type Affine, type InputKind, type PageContent } from '@ocr/domain';
import type { PageView } from '@ocr/jobs';
import { embedGlyphlessFont } from './glyphless-font';
import { optimizeJpeg, optimizePageJpegs } from './jpeg-optimize';
import { processedToReceived, processedToUser, rasterToUser, type PdfBox } from './page-geometry';
import { openSourcePdf } from './source-pdf';
import { PdfStreamWriter } from './stream-writer';
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

function addTextLayer(context: PDFContext, leaf: PDFPageLeaf, content: PageContent, font: PDFRef, receivedToUser: Affine): void {
  const name = leaf.newFontDictionary('OCRText', font).asString().slice(1);
  const ops = textLayerStream(content, processedToUser(content, receivedToUser), name);
  if (ops) leaf.addContentStream(context.register(context.flateStream(ops)));
}

/**
 * The end of a document written page by page: one flat Pages node over the pages written, the
 * catalog pointing to it, whatever else the catalog and the info dict reach (outlines, metadata),
 * the xref and the trailer.
 */
function* finish(
  writer: PdfStreamWriter,
  trailer: { root: PDFRef; info?: PDFObject; id?: PDFObject },
  pagesRef: PDFRef,
  kids: PDFRef[],
  stop: ReadonlySet<number>,
): Generator<Uint8Array> {
  const { context } = writer;
  context.assign(pagesRef, context.obj({ Type: 'Pages', Kids: kids, Count: kids.length }));
  context.lookup(trailer.root, PDFDict).set(PDFName.of('Pages'), pagesRef);
  const info = trailer.info instanceof PDFRef ? trailer.info : undefined;
  yield* writer.write(writer.reachable(info ? [trailer.root, info] : [trailer.root], stop));
  yield* writer.end({ root: trailer.root, info, id: trailer.id });
}

/**
 * A page takes the attributes it inherited from the page tree along (resources, boxes, rotation):
 * it is written under a new, flat Pages node.
 */
function ownInherited(leaf: PDFPageLeaf): void {
  for (const key of ['Resources', 'MediaBox', 'CropBox', 'Rotate']) {
    const name = PDFName.of(key);
    if (leaf.get(name) !== undefined) continue;
    const inherited = leaf.getInheritableAttribute(name);
    if (inherited !== undefined) leaf.set(name, inherited);
  }
}

/**
 * A page given its text layer gets its own resource dicts: a dict shared with pages already
 * written would take the new font where the file no longer sees it.
 */
function ownResources(context: PDFContext, leaf: PDFPageLeaf): void {
  const resources = context.lookupMaybe(leaf.get(PDFName.of('Resources')), PDFDict);
  if (!resources) return;
  const own = resources.clone(context);
  for (const key of ['Font', 'XObject', 'ExtGState']) {
    const sub = context.lookupMaybe(own.get(PDFName.of(key)), PDFDict);
    if (sub) own.set(PDFName.of(key), sub.clone(context));
  }
  leaf.set(PDFName.of('Resources'), own);
}

/**
 * The original PDF with an invisible text layer on each recognised page. Nothing else changes: the
 * scans keep their own image streams, and pages that had a text layer are left as they were. Earlier
 * content is wrapped in q/Q so whatever state it leaves cannot displace the new text.
 *
 * Written page by page as the job's pages come: each page's objects (and the resources it is the
 * first to use) leave as soon as its text layer is on, and are dropped from memory. Only the pages
 * of the job are written (pages=: not the pages it was not asked to read).
 */
export async function* overlayOnPdf(pdfPath: string, pages: AsyncIterable<PageView>, tessdataDir: string | null, timeoutMs: number): AsyncGenerator<Uint8Array> {
  const source = await openSourcePdf(pdfPath);
  try {
    const { context } = source;
    const writer = new PdfStreamWriter(context);
    yield writer.header();
    const font = embedGlyphlessFont(context, tessdataDir);
    // Pages and page-tree nodes are written at their own turn, never pulled in through a link.
    const stop = source.tree;
    const written = (ref: PDFRef): boolean => writer.written(ref);
    const pagesRef = context.nextRef();
    const kids: PDFRef[] = [];
    for await (const view of pages) {
      const ref = source.pages[uploadIndex(view)];
      if (!ref || writer.written(ref)) continue;
      const leaf = context.lookup(ref);
      if (!(leaf instanceof PDFPageLeaf)) continue;
      ownInherited(leaf);
      // What the page draws is read from the original now, and written (then dropped) below.
      source.load([ref], stop, written);
      const content = recognised(view);
      if (content) {
        ownResources(context, leaf);
        const crop = (leaf.CropBox() ?? leaf.MediaBox()).asRectangle();
        const received = rasterToUser(crop, leaf.Rotate()?.asNumber() ?? 0, content.dpi);
        const upright = straightening(composeAffine(received, processedToReceived(content)), crop);
        leaf.normalize();
        leaf.wrapContentStreams(context.register(context.stream(`q ${pdfMatrix(upright.content)} cm\n`)), context.register(context.stream('\nQ\n')));
        leaf.set(PDFName.of('Rotate'), PDFNumber.of(upright.rotate));
        await optimizePageJpegs(context, leaf, timeoutMs);
        addTextLayer(context, leaf, content, font, composeAffine(upright.content, received));
      }
      leaf.set(PDFName.of('Parent'), pagesRef);
      yield* writer.write(writer.reachable([ref], stop));
      kids.push(ref);
    }
    const roots = source.info instanceof PDFRef ? [source.root, source.info] : [source.root];
    source.load(roots, stop, written);
    yield* finish(writer, { root: source.root, info: source.info, id: source.id }, pagesRef, kids, stop);
  } finally {
    source.close();
  }
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
 * by the recognition's transform: straightening costs no resampling. Written page by page: each
 * page's image is read, embedded and written before the next page is read.
 */
export async function* pagesFromImages(
  kind: InputKind,
  sourcePath: string,
  pages: AsyncIterable<PageView>,
  images: PageImageSource,
  tessdataDir: string | null,
  timeoutMs: number,
): AsyncGenerator<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const { context } = doc;
  const writer = new PdfStreamWriter(context);
  yield writer.header();
  const font = embedGlyphlessFont(context, tessdataDir);
  const pagesRef = context.nextRef();
  const kids: PDFRef[] = [];
  for await (const view of pages) {
    const { path, dpi: receivedDpi } = await images.imagePath(uploadIndex(view));
    const image = await embedImage(doc, path, kind, path === sourcePath, timeoutMs);
    await image.embed();
    const content = recognised(view);
    const dpi = content?.dpi ?? receivedDpi;
    const k = 72 / dpi;
    const width = content?.width ?? image.width;
    const height = content?.height ?? image.height;
    const leaf = PDFPageLeaf.withContextAndParent(context, pagesRef);
    leaf.set(PDFName.of('MediaBox'), context.obj([0, 0, width * k, height * k]));
    const pageRef = context.register(leaf);
    // Pixels of the recognised page (y down) to user space.
    const processedToPage: Affine = [k, 0, 0, -k, 0, height * k];
    const receivedToUser = composeAffine(processedToPage, content?.transform ?? IDENTITY);
    // The image's unit square to its pixels (y down), then on to the page.
    const imageMatrix = composeAffine(receivedToUser, [image.width, 0, 0, -image.height, 0, image.height]);
    const name = leaf.newXObject('Scan', image.ref).asString();
    const draw = `q ${pdfMatrix(imageMatrix)} cm ${name} Do Q\n`;
    leaf.addContentStream(context.register(context.flateStream(draw)));
    if (content) addTextLayer(context, leaf, content, font, receivedToUser);
    yield* writer.write(writer.reachable([pageRef]));
    kids.push(pageRef);
  }
  const root = context.trailerInfo.Root;
  if (!(root instanceof PDFRef)) throw new AppError('invalid_document', 'the PDF has no catalog');
  yield* finish(writer, { root }, pagesRef, kids, new Set());
}
