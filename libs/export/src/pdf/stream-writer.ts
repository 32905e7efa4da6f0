import {
  PDFArray,
  PDFCrossRefSection,
  PDFDict,
  PDFHeader,
  PDFName,
  PDFRef,
  PDFStream,
  PDFTrailer,
  PDFTrailerDict,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';

/** Writes a pdf-lib object (or header, xref, trailer) into bytes of its own size. */
function bytesOf(object: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/**
 * A PDF written front to back in pieces, the way pdf-lib's own writer lays it out (header, indirect
 * objects, classic xref table, trailer) but without holding the file: each object is serialised
 * when the caller is done with it, and a stream is then dropped from the context, so the byte
 * offsets of the written objects (and their small dicts) are all that stays until the xref table. Objects may be written before the ones
 * that refer to them (a page before the Pages node that parents it): references are numbers
 * reserved in the context, resolved by the reader through the xref table.
 */
export class PdfStreamWriter {
  private offset = 0;
  private readonly offsets = new Map<number, number>();

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
    return this.offsets.has(ref.objectNumber);
  }

  /** Writes these objects (each once) and drops the streams among them from the context. */
  write(refs: Iterable<PDFRef>): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const ref of refs) {
      if (this.written(ref)) continue;
      const object = this.context.lookup(ref);
      if (!object) continue;
      this.offsets.set(ref.objectNumber, this.offset);
      const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
      out.push(this.advance(head), this.advance(bytesOf(object)), this.advance(Buffer.from('\nendobj\n\n', 'latin1')));
      // Streams (images, page contents, fonts) are what weighs; dicts and arrays stay, small, for
      // later pages that look them up (a shared box or resource dict).
      if (object instanceof PDFStream) this.context.delete(ref);
    }
    return out;
  }

  /**
   * Every object reachable from `roots` that is not written yet, in the order they are met, except
   * those in `stop` (and what only they lead to): the page dicts and page-tree nodes, which are
   * written at their own turn, so a link from one page to another does not pull the other page in
   * before its text layer is added.
   */
  reachable(roots: readonly PDFRef[], stop: ReadonlySet<number> = new Set()): PDFRef[] {
    const found: PDFRef[] = [];
    const seen = new Set<number>();
    const pending: PDFRef[] = [...roots].reverse();
    const visit = (value: PDFObject | undefined): void => {
      if (value instanceof PDFRef) {
        if (!seen.has(value.objectNumber) && !stop.has(value.objectNumber) && !this.written(value)) pending.push(value);
      } else if (value instanceof PDFDict) {
        for (const [, v] of value.entries()) visit(v);
      } else if (value instanceof PDFArray) {
        for (let i = 0; i < value.size(); i++) visit(value.get(i));
      } else if (value instanceof PDFStream) {
        visit(value.dict);
      }
    };
    for (let ref = pending.pop(); ref; ref = pending.pop()) {
      if (seen.has(ref.objectNumber) || this.written(ref)) continue;
      seen.add(ref.objectNumber);
      const object = this.context.lookup(ref);
      if (!object) continue;
      found.push(ref);
      visit(object);
    }
    return found;
  }

  /** The xref table of everything written, and the trailer naming the catalog (and the info dict and file ID the document had). */
  end(trailer: { root: PDFRef; info?: PDFObject; id?: PDFObject }): Uint8Array[] {
    const xref = PDFCrossRefSection.create();
    const numbers = [...this.offsets.keys()].sort((a, b) => a - b);
    for (const n of numbers) xref.addEntry(PDFRef.of(n), this.offsets.get(n) ?? 0);
    const xrefAt = this.offset;
    const size = Math.max(this.context.largestObjectNumber, numbers[numbers.length - 1] ?? 0) + 1;
    const dict = this.context.obj({ Size: size, Root: trailer.root });
    if (trailer.info) dict.set(PDFName.of('Info'), trailer.info);
    if (trailer.id) dict.set(PDFName.of('ID'), trailer.id);
    const trailerDict = PDFTrailerDict.of(dict);
    return [
      this.advance(bytesOf(xref)),
      this.advance(Buffer.from('\n', 'latin1')),
      this.advance(bytesOf(trailerDict)),
      this.advance(Buffer.from('\n\n', 'latin1')),
      this.advance(bytesOf(PDFTrailer.forLastCrossRefSectionOffset(xrefAt))),
    ];
  }

  private advance(bytes: Uint8Array): Uint8Array {
    this.offset += bytes.length;
    return bytes;
  }
}
