import type { BBox } from '@ocr/domain';

/** A recognised word with Tesseract's structure ids (block / paragraph / line numbers). */
export interface RawWord {
  text: string;
  bbox: BBox;
  /** 0..1 */
  confidence: number;
  block: number;
  par: number;
  line: number;
  /** Whether the engine's own text had a space before this word (unknown when absent). */
  spaceBefore?: boolean;
}

/** The text line a word belongs to: Tesseract numbers lines within paragraphs within blocks. */
export function lineKey(w: RawWord): string {
  return `${w.block}:${w.par}:${w.line}`;
}
