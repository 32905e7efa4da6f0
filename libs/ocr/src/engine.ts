import type { RawWord } from '@ocr/layout';

export interface RecognizeRequest {
  imagePath: string;
  /** Tesseract models, e.g. ['eng'] or ['deu', 'eng']. */
  languages: string[];
  /** The page's resolution when the file states it; otherwise Tesseract estimates it from the text. */
  dpi?: number;
  timeoutMs: number;
  /** Page segmentation mode; 3 (automatic) by default. */
  psm?: number;
  /** Extra Tesseract variables (e.g. thresholding_method). */
  variables?: Record<string, string>;
  /**
   * Whether words need the engine's plain text beside them to learn the page's own spacing
   * (RawWord.spaceBefore); true unless said otherwise. Writing it costs the engine 3-5% of a page.
   */
  spacing?: boolean;
}

export interface RecognizedPage {
  width: number;
  height: number;
  words: RawWord[];
}

export interface OrientationResult {
  /** Clockwise rotation that makes the page upright. */
  rotate: 0 | 90 | 180 | 270;
  orientationConfidence: number;
  script: string;
  scriptConfidence: number;
}

/**
 * A glance: OSD stops after a few characters (a fifth of its usual sample). It costs a third of a
 * full look on a band and names the script of most pages its full look names; its angle is less
 * sure.
 */
export interface OrientationOptions {
  glance?: boolean;
}

/** One recognition runtime. The pool owns engines; a page borrows one for its whole pipeline. */
export interface OcrEngine {
  readonly name: string;
  recognize(req: RecognizeRequest): Promise<RecognizedPage>;
  detectOrientation(imagePath: string, timeoutMs: number, options?: OrientationOptions): Promise<OrientationResult>;
  close(): Promise<void>;
}
