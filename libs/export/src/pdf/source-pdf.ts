import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { reachableObjects } from './object-graph';
import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';

/**
 * The original PDF a searchable PDF is made from, its objects in a pdf-lib context. `load` brings
 * in what a page needs when its turn comes, so a long scan is read page by page rather than held
 * whole (a file whose cross-reference data cannot be trusted is read whole instead).
 */
export interface SourcePdf {
  readonly context: PDFContext;
  readonly root: PDFRef;
  readonly info?: PDFObject;
  readonly id?: PDFObject;
  /** The page dicts, in page order. */
  readonly pages: readonly PDFRef[];
  /** The page tree: its inner nodes and its pages. */
  readonly tree: ReadonlySet<number>;
  /** Loads what `roots` reach that is not in the context yet, not going through `stop` nor into `skip`. */
  load(roots: readonly PDFRef[], stop: ReadonlySet<number>, skip: (ref: PDFRef) => boolean): void;
  close(): void;
}

/** Page refs in order and every node of the tree, the tree's nodes looked up (and loaded) as met. */
function walkTree(context: PDFContext, root: PDFRef, lookup: (ref: PDFRef) => PDFObject | undefined): { pages: PDFRef[]; tree: Set<number> } {
  const pages: PDFRef[] = [];
  const tree = new Set<number>();
  const visit = (ref: PDFRef): void => {
    if (tree.has(ref.objectNumber)) return;
    tree.add(ref.objectNumber);
    const node = lookup(ref);
    if (node instanceof PDFPageTree) {
      const kids = node.lookup(PDFName.of('Kids'), PDFArray);
      for (let i = 0; i < kids.size(); i++) {
        const kid = kids.get(i);
        if (kid instanceof PDFRef) visit(kid);
      }
    } else if (node instanceof PDFPageLeaf) {
      pages.push(ref);
    } else {
      throw new Error(`page tree node ${ref.toString()} is neither Pages nor Page`);
    }
  };
  const catalog = context.lookup(root, PDFDict);
  const top = catalog.get(PDFName.of('Pages'));
  if (!(top instanceof PDFRef)) throw new Error('the catalog has no page tree');
  visit(top);
  return { pages, tree };
}

/** The whole file parsed by pdf-lib: for files whose cross-reference data cannot be followed. */
async function wholeSource(path: string): Promise<SourcePdf> {
  const doc = await PDFDocument.load(await readFile(path), { updateMetadata: false });
  const { context } = doc;
  const root = context.trailerInfo.Root;
  if (!(root instanceof PDFRef)) throw new Error('the PDF has no catalog');
  const { pages, tree } = walkTree(context, root, (ref) => context.lookup(ref));
  return { context, root, info: context.trailerInfo.Info, id: context.trailerInfo.ID, pages, tree, load: () => undefined, close: () => undefined };
}

type Location = { offset: number; generation: number } | { stream: number; index: number };

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** Undoes a PNG predictor (Predictor >= 10), row by row: what xref streams are usually written with. */
function unpredict(data: Uint8Array, columns: number): Uint8Array {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * rowLength];
    for (let c = 0; c < columns; c++) {
      const raw = data[r * rowLength + 1 + c] ?? 0;
      const left = c > 0 ? (out[r * columns + c - 1] ?? 0) : 0;
      const up = r > 0 ? (out[(r - 1) * columns + c] ?? 0) : 0;
      const upLeft = r > 0 && c > 0 ? (out[(r - 1) * columns + c - 1] ?? 0) : 0;
      let value = raw;
      if (filter === 1) value = raw + left;
      else if (filter === 2) value = raw + up;
      else if (filter === 3) value = raw + Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else if (filter !== 0) throw new Error(`PNG predictor filter ${String(filter)}`);
      out[r * columns + c] = value & 0xff;
    }
  }
  return out;
}

const numberIn = (dict: PDFDict, key: string): number | undefined => {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
};

/**
 * The file read through its cross-reference data: classic tables and xref streams, object
 * streams, incremental updates (/Prev, /XRefStm). Each object is read from its own byte range
 * when asked for, so what is in memory is what the pages written so far needed.
 */
class LazySource implements SourcePdf {
  readonly context = PDFContext.create();
  readonly root: PDFRef;
  readonly info?: PDFObject;
  readonly id?: PDFObject;
  readonly pages: readonly PDFRef[];
  readonly tree: ReadonlySet<number>;
  private readonly fd: number;
  private readonly size: number;
  private readonly locations = new Map<number, Location>();
  /** Every offset where something starts (objects, xref sections): an object ends where the next thing starts. */
  private starts: number[] = [];
  private readonly unpacked = new Set<number>();

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
      const trailer = this.readXref();
      const root = trailer.get(PDFName.of('Root'));
      if (!(root instanceof PDFRef)) throw new Error('the trailer names no catalog');
      if (trailer.get(PDFName.of('Encrypt'))) throw new Error('encrypted');
      this.root = root;
      this.info = trailer.get(PDFName.of('Info'));
      this.id = trailer.get(PDFName.of('ID'));
      this.checkOffsets();
      // New objects (the text layer, the new page tree) take numbers past every one in the file.
      let largest = (numberIn(trailer, 'Size') ?? 1) - 1;
      for (const n of this.locations.keys()) largest = Math.max(largest, n);
      this.context.largestObjectNumber = largest;
      this.object(root);
      const { pages, tree } = walkTree(this.context, root, (ref) => this.object(ref));
      this.pages = pages;
      this.tree = tree;
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  load(roots: readonly PDFRef[], stop: ReadonlySet<number>, skip: (ref: PDFRef) => boolean): void {
    reachableObjects(roots, (ref) => this.object(ref), (ref) => !stop.has(ref.objectNumber) && !skip(ref));
  }


  /** The object, from the context or read from the file (and kept in the context). */
  private object(ref: PDFRef): PDFObject | undefined {
    const known = this.context.lookup(ref);
    if (known) return known;
    const at = this.locations.get(ref.objectNumber);
    if (!at) return undefined;
    if ('offset' in at) {
      const object = this.parseAt(at.offset, this.endOf(at.offset));
      this.context.assign(ref, object);
      return object;
    }
    this.unpack(at.stream);
    return this.context.lookup(ref);
  }

  /** Every object an object stream holds that the xref places there, into the context. */
  private unpack(streamNumber: number): void {
    if (this.unpacked.has(streamNumber)) return;
    this.unpacked.add(streamNumber);
    const stream = this.object(PDFRef.of(streamNumber));
    if (!(stream instanceof PDFRawStream)) throw new Error(`object stream ${streamNumber} is not a stream`);
    const data = decodePDFRawStream(stream).decode();
    const count = numberIn(stream.dict, 'N') ?? 0;
    const first = numberIn(stream.dict, 'First') ?? 0;
    const header = latin1(data.subarray(0, first)).trim().split(/\s+/).map(Number);
    for (let i = 0; i < count; i++) {
      const n = header[2 * i] ?? -1;
      const at = this.locations.get(n);
      if (!at || !('stream' in at) || at.stream !== streamNumber || this.context.lookup(PDFRef.of(n))) continue;
      const start = first + (header[2 * i + 1] ?? 0);
      const end = i + 1 < count ? first + (header[2 * i + 3] ?? data.length) : data.length;
      this.context.assign(PDFRef.of(n), PDFObjectParser.forBytes(data.subarray(start, end), this.context).parseObject());
    }
    // The stream itself is not part of the output: the objects it held are written on their own.
    this.context.delete(PDFRef.of(streamNumber));
  }

  private read(offset: number, length: number): Uint8Array {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, this.size - offset)));
    let got = 0;
    while (got < buffer.length) {
      const n = readSync(this.fd, buffer, got, buffer.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  }

  /** The indirect object at `offset` (its `n g obj` header skipped), parsed from the bytes up to `end`. */
  private parseAt(offset: number, end: number): PDFObject {
    const bytes = this.read(offset, end - offset);
    const head = /^\s*\d+\s+\d+\s+obj/.exec(latin1(bytes.subarray(0, 64)));
    if (!head) throw new Error(`no object at ${offset}`);
    return PDFObjectParser.forBytes(bytes.subarray(head[0].length), this.context).parseObject();
  }

  private endOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return this.starts[lo] ?? this.size;
  }

  /** Reads every xref section from the last; the newest entry of an object wins. Returns the newest trailer. */
  private readXref(): PDFDict {
    const tail = latin1(this.read(Math.max(0, this.size - 2048), 2048));
    const at = /startxref\s+(\d+)/g;
    let last: RegExpExecArray | null = null;
    for (let m = at.exec(tail); m; m = at.exec(tail)) last = m;
    if (!last) throw new Error('no startxref');
    const sections: number[] = [];
    const queue = [Number(last[1])];
    let newest: PDFDict | null = null;
    for (let offset = queue.shift(); offset !== undefined; offset = queue.shift()) {
      if (sections.includes(offset) || offset >= this.size) continue;
      sections.push(offset);
      const trailer = /^\s*xref/.test(latin1(this.read(offset, 16))) ? this.readTable(offset) : this.readStream(offset);
      newest ??= trailer;
      const stm = numberIn(trailer, 'XRefStm');
      if (stm !== undefined) queue.push(stm);
      const prev = numberIn(trailer, 'Prev');
      if (prev !== undefined) queue.push(prev);
    }
    if (!newest) throw new Error('no xref');
    const starts = new Set(sections);
    for (const location of this.locations.values()) if ('offset' in location) starts.add(location.offset);
    this.starts = [...starts].sort((a, b) => a - b);
    return newest;
  }

  private note(n: number, location: Location): void {
    if (!this.locations.has(n)) this.locations.set(n, location);
  }

  /** A classic `xref` table and its trailer dict. */
  private readTable(offset: number): PDFDict {
    let pos = offset + latin1(this.read(offset, 16)).indexOf('xref') + 4;
    for (;;) {
      const text = latin1(this.read(pos, 64));
      const trailer = /^\s*trailer/.exec(text);
      if (trailer) {
        const bytes = this.read(pos + trailer[0].length, 8192);
        const dict = PDFObjectParser.forBytes(bytes, this.context).parseObject();
        if (!(dict instanceof PDFDict)) throw new Error('trailer is not a dict');
        return dict;
      }
      const head = /^\s*(\d+)\s+(\d+)[ \t]*\r?\n?/.exec(text);
      if (!head) throw new Error(`bad xref subsection at ${pos}`);
      const [start, count] = [Number(head[1]), Number(head[2])];
      pos += head[0].length;
      // Entries are 20 bytes by the spec; some writers use 19 or 21, so they are read as tokens.
      const entries = latin1(this.read(pos, count * 21 + 8));
      const entry = /\s*(\d{1,10})\s+(\d{1,5})\s+([nf])[ \t]*\r?\n?/y;
      for (let i = 0; i < count; i++) {
        const m = entry.exec(entries);
        if (!m) throw new Error(`bad xref entry ${start + i}`);
        if (m[3] === 'n') this.note(start + i, { offset: Number(m[1]), generation: Number(m[2]) });
        else this.note(start + i, { offset: -1, generation: 0 });
      }
      pos += entry.lastIndex;
    }
  }

  /** An xref stream (its dict is the trailer). */
  private readStream(offset: number): PDFDict {
    // The stream's dict says its length; the object is then read whole.
    const head = latin1(this.read(offset, 4096));
    const length = /\/Length\s+(\d+)/.exec(head);
    const streamAt = head.indexOf('stream');
    if (!length || streamAt < 0) throw new Error(`no xref stream at ${offset}`);
    const object = this.parseAt(offset, offset + streamAt + Number(length[1]) + 64);
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) throw new Error(`no xref stream at ${offset}`);
    const { dict } = object;
    const filter = dict.get(PDFName.of('Filter'));
    let data: Uint8Array = object.contents;
    if (filter === PDFName.of('FlateDecode')) data = inflateSync(data);
    else if (filter !== undefined) throw new Error('xref stream filter');
    const parms = dict.lookupMaybe(PDFName.of('DecodeParms'), PDFDict);
    const predictor = parms ? numberIn(parms, 'Predictor') : undefined;
    const widths = dict.lookup(PDFName.of('W'), PDFArray).asArray().map((w) => (w instanceof PDFNumber ? w.asNumber() : 0));
    const rowLength = widths.reduce((a, b) => a + b, 0);
    if (predictor !== undefined && predictor >= 10) data = unpredict(data, (parms && numberIn(parms, 'Columns')) ?? rowLength);
    else if (predictor !== undefined && predictor > 1) throw new Error('xref stream predictor');
    const index = dict.lookupMaybe(PDFName.of('Index'), PDFArray)?.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) ?? [0, numberIn(dict, 'Size') ?? 0];
    const field = (row: number, from: number, width: number): number => {
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 256 + (data[row * rowLength + from + i] ?? 0);
      return value;
    };
    const [w0 = 1, w1 = 0] = widths;
    const w2 = widths[2] ?? 0;
    let row = 0;
    for (let s = 0; s + 1 < index.length; s += 2) {
      const [first = 0, count = 0] = [index[s], index[s + 1]];
      for (let i = 0; i < count; i++, row++) {
        const type = w0 === 0 ? 1 : field(row, 0, w0);
        const a = field(row, w0, w1);
        const b = field(row, w0 + w1, w2);
        if (type === 1) this.note(first + i, { offset: a, generation: b });
        else if (type === 2) this.note(first + i, { stream: a, index: b });
        else if (type === 0) this.note(first + i, { offset: -1, generation: 0 });
      }
    }
    return dict;
  }

  /** Every object the xref places in the file has its own `n g obj` where it says: else the file is read whole. */
  private checkOffsets(): void {
    for (const [n, at] of this.locations) {
      if (!('offset' in at)) continue;
      if (at.offset < 0) {
        this.locations.delete(n);
        continue;
      }
      const head = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(this.read(at.offset, 32)));
      if (!head || Number(head[1]) !== n) throw new Error(`object ${n} is not at ${at.offset}`);
    }
    this.starts = this.starts.filter((s) => s >= 0);
  }
}

/** The original PDF, read page by page through its xref where it can be, else whole. */
export async function openSourcePdf(path: string): Promise<SourcePdf> {
  try {
    return new LazySource(path);
  } catch {
    return wholeSource(path);
  }
}
