import sharp from 'sharp';
import type { BBox } from '@ocr/domain';
import { engineDensity } from '@ocr/intake';
import { lineKey, type RawWord } from '@ocr/layout';
import { paperLevel } from './paper-level';
import { engineImagePath, toEngineImage } from './transform';

// A dark fill (dark-fills.ts) read inverted: cut from the page, its tones turned, its words placed
// among the page's.

/** White margin around an inverted crop: Tesseract finds lines that touch the image's edge poorly. */
const MARGIN = 12;
/** A column of an inverted fill this dark from top to bottom is paper between boxes, not a letter's stroke. */
const SEPARATOR_DARK = 0.9;

/**
 * The fill cut from the page, its tones inverted (light letters on white) with a white margin, for
 * the engine. Columns dark from top to bottom once inverted were paper between boxes the fill joined
 * (a row of header boxes a few pixels apart): they are made white, or the engine reads them as
 * bars ("Name | Party").
 */
export async function cropInverted(imagePath: string, [x0, y0, x1, y1]: BBox, workDir: string): Promise<string> {
  const out = engineImagePath(workDir, 'inverted');
  const density = await engineDensity(imagePath, await sharp(imagePath, { limitInputPixels: false }).metadata());
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const inverted = new Uint8Array(width * height);
  for (let i = 0; i < inverted.length; i++) inverted[i] = 255 - (data[i] as number);
  // The inverted fill's level made white, as the margin is: a mid-blue fill inverts to mid grey, and
  // the engine's threshold, between that grey and the white margin, left nothing of the letters.
  const fillLevel = Math.max(1, paperLevel(inverted));
  for (let i = 0; i < inverted.length; i++) inverted[i] = Math.min(255, Math.round(((inverted[i] as number) * 255) / fillLevel));
  // Half the fill's level (its letters and the paper are dark now).
  const threshold = 128;
  for (let x = 0; x < width; x++) {
    let dark = 0;
    for (let y = 0; y < height; y++) if ((inverted[y * width + x] as number) < threshold) dark++;
    if (dark >= height * SEPARATOR_DARK) for (let y = 0; y < height; y++) inverted[y * width + x] = 255;
  }
  const framed = sharp(inverted, { raw: { width, height, channels: 1 } }).extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: '#ffffff' });
  await toEngineImage(framed, out, density);
  return out;
}

/** A fill's words in the page's pixels: the crop's boxes moved by the fill's corner, less the margin. */
export function placeFillWords(words: readonly RawWord[], [x0, y0]: BBox, block: number): RawWord[] {
  const [dx, dy] = [x0 - MARGIN, y0 - MARGIN];
  return words.map((w) => ({ ...w, block: block + w.block, bbox: [w.bbox[0] + dx, w.bbox[1] + dy, w.bbox[2] + dx, w.bbox[3] + dy] }));
}

/**
 * A word read at next to no confidence that touches a fill is the fill's edges read as signs: over a
 * row of blue header boxes the page's reading had "DP" at 0.00, its box across two boxes, the gap
 * between them and the paper above and below, a quarter of it on either box.
 */
const EDGE_SIGNS_CONFIDENCE = 0.05;

/**
 * Whether a word was read on a fill: its box and the fill's share a third of the smaller one (a bold
 * black word closes into a fill-like blob, which the page's reading has read), or any of it where
 * the word was read at next to no confidence (EDGE_SIGNS_CONFIDENCE).
 */
export function readOn(word: RawWord, fill: BBox): boolean {
  const [a, b] = [word.bbox, fill];
  const overlap = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = (box: BBox) => (box[2] - box[0]) * (box[3] - box[1]);
  return overlap >= Math.min(area(a), area(b)) / 3 || (overlap > 0 && word.confidence < EDGE_SIGNS_CONFIDENCE);
}

/**
 * The page's words with a fill's words placed in reading order: before the first line that starts
 * below the fill and shares its columns (a table header before its cells), else at the end. That
 * line's block is split there, so that the fill's words come between its two parts.
 */
export function insertFillWords(words: readonly RawWord[], fillWords: readonly RawWord[], [x0, , x1, y1]: BBox): RawWord[] {
  const spans = new Map<string, [number, number, number]>();
  for (const w of words) {
    const span = spans.get(lineKey(w));
    spans.set(lineKey(w), span ? [Math.min(span[0], w.bbox[0]), Math.max(span[1], w.bbox[2]), Math.min(span[2], w.bbox[1])] : [w.bbox[0], w.bbox[2], w.bbox[1]]);
  }
  const started = new Set<string>();
  const at = words.findIndex((w) => {
    const key = lineKey(w);
    if (started.has(key)) return false;
    started.add(key);
    const [left, right, top] = spans.get(key) ?? [0, 0, 0];
    return top >= y1 && left < x1 && right > x0;
  });
  if (at < 0) return [...words, ...fillWords];
  const split = words[at]!.block;
  const rest = Math.max(...words.map((w) => w.block), ...fillWords.map((w) => w.block)) + 1;
  return [...words.slice(0, at), ...fillWords, ...words.slice(at).map((w) => (w.block === split ? { ...w, block: rest } : w))];
}
