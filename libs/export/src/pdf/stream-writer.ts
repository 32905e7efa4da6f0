import { reachableObjects } from './object-graph';
import {
  PDFCrossRefStream,
  PDFHeader,
  PDFInvalidObject,
  PDFName,
  PDFObjectStream,
  PDFRef,
  PDFStream,
  PDFTrailer,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';

/** Writes a pdf-lib object (or header, trailer) into bytes of its own size. */
function bytesOf(object: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** Where the xref finds an object: at an offset of the file, or packed in an object stream. */
type XrefEntry = { offset: number; generation: number } | { stream: number; index: number };

/** Objects per object stream, as pdf-lib's own writer packs them. */
const OBJECTS_PER_STREAM = 50;

/**
 * A PDF written front to back in pieces, laid out as pdf-lib's own writer lays it out (header,
 * streams as indirect objects, the small objects packed into object streams, an xref stream) but
 * without holding the file: each object is serialised when the caller is done with it, and a
 * stream is then dropped from the context, so the xref entries of the written objects (and their
 * small dicts) are all that stays until the end. Objects may be written before the ones that
 * refer to them (a page before the Pages node that parents it): references are numbers reserved
 * in the context, resolved by the reader through the xref.
 */
export class PdfStreamWriter {
  private offset = 0;
  private readonly entries = new Map<number, XrefEntry>();
  /** Small objects, already serialised, waiting for their object stream. */
  private readonly packed: Array<[PDFRef, Uint8Array]> = [];

  constructor(readonly context: PDFContext) {}

  /** The header (version and the binary comment that marks the file as binary). */
  header(): Uint8Array {
    const header = bytesOf(PDFHeader.forVersion(1, 7));
    const out = new Uint8Array(header.length + 2);
    out.set(header);
    out.set([0x0a, 0x0a], header.length);
    return this.advance(out);
  }

  /** Whether the object has already been written (a resource shared by several pages). */
  written(ref: PDFRef): boolean {
    return this.entries.has(ref.objectNumber);
  }

  /** Writes these objects (each once) and drops the streams among them from the context. */
  write(refs: Iterable<PDFRef>): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const ref of refs) {
      if (this.written(ref)) continue;
      const object = this.context.lookup(ref);
      if (!object) continue;
      if (object instanceof PDFStream || ref.generationNumber !== 0) {
        out.push(...this.indirect(ref, object));
        // Streams (images, page contents, fonts) are what weighs; dicts and arrays stay, small,
        // for later pages that look them up (a shared box or resource dict).
        if (object instanceof PDFStream) this.context.delete(ref);
      } else {
        // Serialised now, into the next object stream once it is full.
        this.packed.push([ref, bytesOf(object)]);
        this.entries.set(ref.objectNumber, { stream: 0, index: 0 });
        if (this.packed.length >= OBJECTS_PER_STREAM) out.push(...this.pack());
      }
    }
    return out;
  }

  /** The small objects written so far, in one object stream. */
  private pack(): Uint8Array[] {
    if (this.packed.length === 0) return [];
    const chunk = this.packed.splice(0);
    const streamRef = this.context.nextRef();
    chunk.forEach(([ref], index) => this.entries.set(ref.objectNumber, { stream: streamRef.objectNumber, index }));
    const objects = chunk.map(([ref, bytes]): [PDFRef, PDFObject] => [ref, PDFInvalidObject.of(bytes)]);
    return this.indirect(streamRef, PDFObjectStream.withContextAndObjects(this.context, objects, true));
  }

  /**
   * Every object reachable from `roots` that is not written yet, in the order they are met, except
   * those in `stop` (and what only they lead to): the page dicts and page-tree nodes, which are
   * written at their own turn, so a link from one page to another does not pull the other page in
   * before its text layer is added.
   */
  reachable(roots: readonly PDFRef[], stop: ReadonlySet<number> = new Set()): PDFRef[] {
    const unwritten = roots.filter((ref) => !this.written(ref));
    return reachableObjects(unwritten, (ref) => this.context.lookup(ref), (ref) => !stop.has(ref.objectNumber) && !this.written(ref));
  }


  /** The xref stream of everything written, naming the catalog (and the info dict and file ID the document had). */
  end(trailer: { root: PDFRef; info?: PDFObject; id?: PDFObject }): Uint8Array[] {
    const last = this.pack();
    const xrefRef = this.context.nextRef();
    const dict = this.context.obj({ Size: xrefRef.objectNumber + 1, Root: trailer.root });
    if (trailer.info) dict.set(PDFName.of('Info'), trailer.info);
    if (trailer.id) dict.set(PDFName.of('ID'), trailer.id);
    const xref = PDFCrossRefStream.create(dict, true);
    const xrefAt = this.offset;
    this.entries.set(xrefRef.objectNumber, { offset: xrefAt, generation: 0 });
    // The stream's index runs over ascending object numbers.
    for (const n of [...this.entries.keys()].sort((a, b) => a - b)) {
      const entry = this.entries.get(n)!;
      if ('offset' in entry) xref.addUncompressedEntry(PDFRef.of(n, entry.generation), entry.offset);
      else xref.addCompressedEntry(PDFRef.of(n), PDFRef.of(entry.stream), entry.index);
    }
    return [...last, ...this.indirect(xrefRef, xref), this.advance(bytesOf(PDFTrailer.forLastCrossRefSectionOffset(xrefAt)))];
  }

  /** `n g obj ... endobj`, its offset noted for the xref. */
  private indirect(ref: PDFRef, object: PDFObject): Uint8Array[] {
    this.entries.set(ref.objectNumber, { offset: this.offset, generation: ref.generationNumber });
    const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
    return [this.advance(head), this.advance(bytesOf(object)), this.advance(Buffer.from('\nendobj\n\n', 'latin1'))];
  }

  private advance(bytes: Uint8Array): Uint8Array {
    this.offset += bytes.length;
    return bytes;
  }
}
