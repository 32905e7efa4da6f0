import { lineKey, type RawWord } from '@ocr/layout';
import { median } from './median';

const MIN_WORDS_PER_LINE = 4;
const MIN_LINES = 3;

/**
 * Skew (degrees, clockwise positive) read off a recognition pass: along each text line the word
 * boxes' bottoms follow the baseline, so the slope between the line's left and right halves is the
 * skew. Free once the page is recognised, where a projection-profile estimate costs a decode and
 * a scan of the image. Returns 0 when too few long lines exist to tell.
 */
export function skewFromWords(words: readonly RawWord[]): number {
  const lines = new Map<string, RawWord[]>();
  for (const w of words) {
    const key = lineKey(w);
    const list = lines.get(key);
    if (list) list.push(w);
    else lines.set(key, [w]);
  }
  const slopes: number[] = [];
  for (const line of lines.values()) {
    if (line.length < MIN_WORDS_PER_LINE) continue;
    const sorted = [...line].sort((a, b) => a.bbox[0] - b.bbox[0]);
    const half = sorted.length >> 1;
    const left = sorted.slice(0, half);
    const right = sorted.slice(sorted.length - half);
    const cx = (ws: RawWord[]) => median(ws.map((w) => (w.bbox[0] + w.bbox[2]) / 2));
    const bottom = (ws: RawWord[]) => median(ws.map((w) => w.bbox[3]));
    const dx = cx(right) - cx(left);
    if (dx <= 0) continue;
    slopes.push((bottom(right) - bottom(left)) / dx);
  }
  if (slopes.length < MIN_LINES) return 0;
  return Math.round(((Math.atan(median(slopes)) * 180) / Math.PI) * 100) / 100;
}

/**
 * A page turned by 90 degrees still reads with high confidence (Tesseract takes its lines for
 * vertical text) but in scrambled order; its words are then taller than wide.
 */
export function looksSideways(words: readonly RawWord[]): boolean {
  const long = words.filter((w) => w.text.length >= 4);
  if (long.length < 10) return false;
  const tall = long.filter((w) => w.bbox[3] - w.bbox[1] > 1.5 * (w.bbox[2] - w.bbox[0])).length;
  return tall > long.length / 2;
}
