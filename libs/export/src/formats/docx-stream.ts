import { Body, Document, Packer, type File, type ISectionOptions, type IXmlableObject } from 'docx';
import { strToU8, unzipSync, Zip, ZipDeflate } from 'fflate';
import type { PagedJobView } from '@ocr/jobs';
import { Lists, pageSection } from './docx-sections';
import { stringifyXmlable } from './xmlable';

/*
 * The Word document written as its pages come. docx (the library) builds a document whole; here it
 * builds the package's fixed parts from a document with no pages, and each page's part of the body
 * on its own, serialised against one shared document so the lists are numbered as in a whole
 * build. word/document.xml goes into the zip through a streaming deflate, page by page; the
 * numbering part, known only once every list is met, comes last.
 */

const DOCUMENT_PART = 'word/document.xml';
const NUMBERING_PART = 'word/numbering.xml';
/** fflate's default, which docx's own zipping uses. */
const LEVEL = 6;

export function documentOptions(uuid: string): { creator: string; title: string; description: string } {
  return { creator: 'OCR.chat', title: `OCR.chat job ${uuid}`, description: 'Text recognised by OCR.chat' };
}

/** The parts of a document with one empty page, by path. */
async function skeletonParts(file: File): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await Packer.toBuffer(file)));
}

/** docx's `{reference-instance}` placeholders replaced by the numbering ids of the lists met so far. */
function numberListItems(xml: string, file: File): string {
  const ids = new Map(file.Numbering.ConcreteNumbering.map((c) => [c.restartedListId === undefined ? `${c.reference}-${c.instance}` : `${c.reference}-restart ${c.restartedListId}`, String(c.numId)]));
  return xml.replace(/\{([^{}]+)\}/g, (placeholder, key: string) => ids.get(key) ?? placeholder);
}

/**
 * One page's part of the body, as docx writes it in a whole document: its paragraphs and tables,
 * and its section properties in its last paragraph, or (the last page) closing the body. A body
 * of its own gets the page's section, and one after it that is then dropped: that moves the
 * page's properties into its last paragraph as docx does between two sections.
 */
function pageXml(section: ISectionOptions, last: boolean, file: File): string {
  const body = new Body();
  const none = { default: undefined, first: undefined, even: undefined };
  body.addSection({ ...section.properties, headerWrapperGroup: none, footerWrapperGroup: none });
  for (const child of section.children) body.push(child);
  if (!last) body.addSection({ headerWrapperGroup: none, footerWrapperGroup: none });
  const xml = body.prepForXml({ file, viewWrapper: file.Document, stack: [] });
  const children = (xml?.['w:body'] ?? []) as IXmlableObject[];
  return numberListItems((last ? children : children.slice(0, -1)).map(stringifyXmlable).join(''), file);
}

/** The zip's output so far, taken as it is made. */
class ZipOut {
  private readonly chunks: Uint8Array[] = [];
  private failure: Error | null = null;
  readonly zip = new Zip((err, chunk) => {
    if (err) this.failure = err;
    else this.chunks.push(chunk);
  });

  add(path: string, data?: Uint8Array): ZipDeflate {
    const entry = new ZipDeflate(path, { level: LEVEL });
    this.zip.add(entry);
    if (data) entry.push(data, true);
    return entry;
  }

  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    return this.chunks.splice(0);
  }
}

export async function* streamDocx(job: PagedJobView): AsyncGenerator<Uint8Array> {
  const empty = (): File => new Document({ ...documentOptions(job.uuid), sections: [{ children: [] }] });
  // What a page is serialised against: its numbering collects the lists of every page.
  const shared = empty();
  const parts = await skeletonParts(empty());
  const frame = new TextDecoder().decode(parts[DOCUMENT_PART]);
  const bodyAt = frame.indexOf('<w:body>') + '<w:body>'.length;
  const out = new ZipOut();
  for (const [path, data] of Object.entries(parts)) if (path !== DOCUMENT_PART && path !== NUMBERING_PART) out.add(path, data);
  yield* out.take();

  const body = out.add(DOCUMENT_PART);
  body.push(strToU8(frame.slice(0, bodyAt)));
  const lists = new Lists();
  // A page's section properties go where they go once it is known whether another page follows.
  let pending: ISectionOptions | null = null;
  let index = 0;
  for await (const page of job.pages()) {
    const section = pageSection(page, index++ === 0, lists);
    if (pending) body.push(strToU8(pageXml(pending, false, shared)));
    pending = section;
    yield* out.take();
  }
  // A document with no page (none asked for) still has a body with its section properties.
  const last = pending ?? { properties: {}, children: [] };
  body.push(strToU8(`${pageXml(last, true, shared)}${frame.slice(frame.indexOf('</w:body>'))}`), true);
  yield* out.take();

  const numbering = (await skeletonParts(shared))[NUMBERING_PART];
  if (numbering) out.add(NUMBERING_PART, numbering);
  out.zip.end();
  yield* out.take();
}
