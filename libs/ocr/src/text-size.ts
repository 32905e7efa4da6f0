import { countTextLines, typicalLineSize, type PageLines } from './text-band';

/**
 * A page whose typical line is under this height, and its lines under LINE_PITCH_PT apart, at the
 * resolution its file states is not at that resolution: print is legible from about 6 pt. The
 * corpus's pages measured lines of 5.3-11.3 pt at theirs, 10.8-24 pt apart (a faint typewritten page
 * whose measured lines are only their cores, 2.6 pt, 18 pt apart); a 771 x 1018 px scan placed on a
 * PDF page at 300 ppi, 3.6 pt and 7.4 pt (Tesseract estimates 157 dpi from its letters).
 */
const TINY_LINE_PT = 4.5;
const LINE_PITCH_PT = 9;
/**
 * The height in points of a typical line at the resolution Tesseract estimates from a page's letters
 * when its file states none: 6.0-7.6 on the corpus's pages, most 6.7-7.2.
 */
const TYPICAL_LINE_PT = 7;
/** Lines enough for their median height to be the page's (a sideways page's profile finds 1-4). */
const MIN_SIZED_LINES = 8;

/**
 * The resolution to tell the engine for an image whose file states `statedDpi`: that one, unless the
 * page's lines would be tiny at it, then the one its lines suggest. Tesseract takes a stated
 * resolution as it is and sizes its layout's thresholds by it: the small Danish scan above read at
 * 9.0% CER told 300 dpi, 5.0% at its own estimate (the CLI given the image without a resolution).
 */
export function engineResolution(statedDpi: number, lines: PageLines | null): number {
  if (!lines || countTextLines(lines) < MIN_SIZED_LINES) return statedDpi;
  const { height, pitch } = typicalLineSize(lines);
  const points = (px: number) => (px * 72) / statedDpi;
  if (height <= 0 || points(height) >= TINY_LINE_PT || points(pitch) >= LINE_PITCH_PT) return statedDpi;
  return Math.round((height * 72) / TYPICAL_LINE_PT);
}
