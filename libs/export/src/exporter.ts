import type { InputKind } from '@ocr/domain';
import type { IntakeLimits } from '@ocr/intake';
import type { JobView, PagedJobView } from '@ocr/jobs';

/** What an exporter may need beyond the job: the original document, for formats that embed it. */
export interface ExportContext {
  inputKind: InputKind;
  /** A local path of the original upload while the job is kept; `release` cleans any temporary copy. */
  source(): Promise<{ path: string; release: () => Promise<void> } | null>;
  /** A directory the exporter may use for temporary files. */
  scratchDir: string;
  /** Where Tesseract's data lives (its blank-glyph font makes the PDF text layer). */
  tessdataDir: string | null;
  /** The same limits intake applies, for formats that read the original again. */
  limits: IntakeLimits;
  /** Query options of the download that a format understands (e.g. `table` for csv). */
  options: Readonly<Record<string, string>>;
}

/**
 * A piece of a streamed file: text (written as UTF-8) or bytes as they are, for binary formats
 * (a PDF's image streams, a zip's deflated entries).
 */
export type ExportChunk = string | Uint8Array;

/** One download format. A new format is one new file implementing this, plus its line in registry.ts. */
export interface Exporter {
  readonly format: string;
  readonly contentType: string;
  readonly extension: string;
  /** Query options that change the output; they are part of the cache key. */
  readonly optionNames?: readonly string[];
  render(job: JobView, context: ExportContext): Promise<Buffer>;
  /**
   * The same file written page by page, for formats whose bytes follow the pages in order: pieces
   * of the file, each page read only when it is reached, so a long document is never held whole.
   * Must produce exactly what `render` produces. A format that refuses the job (no table for a
   * csv) throws before its first piece, so nothing is stored and the refusal maps as from `render`.
   */
  stream?(job: PagedJobView, context: ExportContext): AsyncIterable<ExportChunk>;
}
