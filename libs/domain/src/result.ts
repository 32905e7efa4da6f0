import type { Affine, BBox } from './geometry';

/** Confidence values are always 0..1. */
export interface Word {
  text: string;
  bbox: BBox;
  confidence: number;
}

export interface Line {
  text: string;
  bbox: BBox;
  confidence: number;
  words: Word[];
}

export type BlockKind = 'heading' | 'paragraph' | 'list_item';

/** A paragraph (or heading / list item) in reading order. */
export interface Block {
  text: string;
  bbox: BBox;
  confidence: number;
  kind: BlockKind;
  /** Heading level 1..6 when kind is 'heading'. */
  level?: number;
  lines: Line[];
}

/** Where a page's text came from. */
export type PageSource = 'ocr' | 'text-layer';

/** Everything recognised on one page, in the coordinate system of the processed image. */
export interface PageContent {
  width: number;
  height: number;
  dpi: number;
  /** Clockwise rotation (degrees) applied to the input before recognition. */
  rotation: 0 | 90 | 180 | 270;
  /** Skew (degrees, clockwise positive) found in the input and rotated away before recognition. */
  skew: number;
  /**
   * Maps a pixel of the page as received (the image, or the PDF page rasterised at `dpi`) to this
   * page's coordinates; absent means identity. Exports use it to lay text over the original image.
   */
  transform?: Affine;
  source: PageSource;
  /** Tesseract language codes actually used for this page. */
  languages: string[];
  /** Dominant script detected on the page (Tesseract OSD name, e.g. 'Latin', 'Cyrillic'), if detected. */
  script?: string;
  text: string;
  markdown: string;
  mean_confidence: number;
  blocks: Block[];
  /** Tables on the page, in reading order; their words are also in `blocks`. */
  tables?: Table[];
  /** Non-fatal notes for the client (e.g. 'orientation corrected by 90 degrees'). */
  warnings: string[];
  /** How many recognition passes the page took (1 for a straight, upright, clean page). */
  recognition_passes?: number;
}

/** One cell of a recognised table; row/col are 0-based, spans >= 1. */
export interface TableCell {
  row: number;
  col: number;
  row_span: number;
  col_span: number;
  text: string;
  bbox: BBox;
}

/** A table found on a page: ruled (from lines drawn on the image) or aligned (from word geometry). */
export interface Table {
  bbox: BBox;
  rows: number;
  cols: number;
  detection: 'ruled' | 'aligned';
  cells: TableCell[];
}
