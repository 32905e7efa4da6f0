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
  /** Set on vision-model lines only: 'aligned', 'ink' or 'estimated' (see BoxSource). */
  box_source?: BoxSource;
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
  /** How `bbox` (and the line and word boxes) were obtained; absent means 'engine'. */
  box_source?: BoxSource;
  /** How `confidence` was obtained; absent means 'engine'. */
  confidence_source?: ConfidenceSource;
}

/**
 * - engine: the OCR engine measured the words (Tesseract).
 * - text-layer: the PDF's own text positions.
 * - aligned: a vision model's line matched to the line Tesseract found on the same page; words split
 *   the line box by character count.
 * - ink: a vision model's line matched to a line band found in the page's ink (projection profile),
 *   used where Tesseract found far fewer lines than the model read (handwriting).
 * - estimated: a vision model's line no Tesseract line matched, placed between its aligned neighbours.
 * - translated: a translation laid over the original paragraph's box (downloads with lang=translated).
 */
export type BoxSource = 'engine' | 'text-layer' | 'aligned' | 'ink' | 'estimated' | 'translated';

/**
 * - engine: the OCR engine's word confidences.
 * - text-layer: 1, the text is the document's own.
 * - alignment: similarity (0..1) between the model's line and Tesseract's reading of that line box;
 *   a vision model reports no confidence of its own.
 * - none: nothing measured it (0).
 */
export type ConfidenceSource = 'engine' | 'text-layer' | 'alignment' | 'none';

/** A page's text translated by a model (tool=translate), kept beside the original. */
export interface PageTranslation {
  /** Target language as requested (translate_to). */
  language: string;
  text: string;
  markdown: string;
  model: string;
}

/** Where a page's text came from: Tesseract, the PDF's text layer, or a vision model (tier=vlm). */
export type PageSource = 'ocr' | 'text-layer' | 'vlm';

/**
 * Where one page's time went, in milliseconds of wall time per stage (a stage the page did not go
 * through is absent). Shown on each page of the job JSON and summed per stage by bench/.
 */
export interface PageTimings {
  /** Reading the page's text from the PDF's text layer (born-digital pages; no recognition). */
  extract_ms?: number;
  /** Rasterising a scanned PDF page, or decoding an image page, to the image recognition reads. */
  rasterise_ms?: number;
  /** Waiting for a free recognition engine (all engines busy with other pages). */
  engine_wait_ms?: number;
  /** Each recognition pass of the engine, in order (one for a straight, upright, clean page). */
  recognition_ms?: number[];
  /** Orientation and script detection (Tesseract OSD), summed over its calls. */
  orientation_ms?: number;
  /** The vision model's reading (tier=vlm), including any Tesseract pass it asked for line boxes. */
  model_ms?: number;
  /** Words to lines, blocks, text and Markdown, with the image work between passes (deskew, turns). */
  layout_ms: number;
  /** Looking for tables on the page. */
  tables_ms: number;
  /** Writing the page's content to the blob store. */
  store_ms?: number;
}

/** The script and the language `auto` found for a page. */
export interface LanguageDetection {
  script: string;
  /** 0..1: the confidence of the band's reading in that script, lowered when its letters are not in it. */
  script_confidence: number;
  /** The Tesseract model the page was read with. */
  language: string;
  /** 0..1: franc's margin over the next language (1 when the script has one language; 0 when unsure). */
  language_confidence: number;
  /** Short readings of a band of the page that decided it (each a fraction of the page's cost). */
  probes: number;
  /** Words of other scripts found on the page, which was read with their models beside its language's. */
  other_scripts?: SecondScriptWords[];
}

/** Words of a second script on a page (Greek words on a French page), read with its model too. */
export interface SecondScriptWords {
  script: string;
  /** The model read beside the page's language. */
  language: string;
  /** Its words found among the page's unsure ones (at most MAX_STACKED_WORDS looked at). */
  words: number;
}

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
  /** The page's languages as Tesseract codes: the models that read it, or the language whose script's model read it (auto). */
  languages: string[];
  /** The page's script (Tesseract's script model names: 'Latin', 'Cyrillic', 'Han', 'Hangul', ...). */
  script?: string;
  /** language=auto: what was detected before the page was read, and how sure it was. */
  detection?: LanguageDetection;
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
  /** The vision model that read the page (source 'vlm'). */
  model?: string;
  /** tool=translate: the page in translate_to. Absent when the translation failed (see warnings). */
  translation?: PageTranslation;
  /** Stage timings, as the page processor measured them (the job service adds `store_ms`). */
  timings?: PageTimings;
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
