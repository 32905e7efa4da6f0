import sharp from 'sharp';
import { lineKey, type RawWord } from '@ocr/layout';
import type { RecognizedPage } from './engine';
import type { Thumbnail } from './page-survey';
import { paperLevel } from './paper-level';
import { engineDensity } from '@ocr/intake';
import { engineImagePath, toEngineImage } from './transform';

/**
 * A page read while another engine is idle is read in two parts at once, cut through a white gap
 * across the page: Tesseract reads each line on its own, so the parts' words are the page's words.
 * A 300 dpi letter page read whole in 2.02 s took 1.31 s in two parts (0.84 s for the smaller),
 * 6% more engine time in all.
 *
 * Pages shorter than this (pixels) are read whole: the second engine's start-up is a larger share.
 */
export const MIN_SPLIT_HEIGHT = 1500;
/** Where the cut may fall: the share of the page's ink above it. */
const MIN_PART_INK = 0.3;
/** Cuts this close to half the ink are balanced enough: among them the tallest gap (a paragraph break) wins. */
const BALANCED_PART_INK = 0.42;
/** Thumbnail rows a cut needs free of ink (about 12 px at 300 dpi). */
const MIN_GAP_ROWS = 3;
/** Thumbnail rows above and below the cut looked at for columns (a share of the page's height). */
const COLUMN_BAND = 0.1;
/** A white vertical gap this wide (share of the text's width) means columns or a table. */
const COLUMN_GUTTER = 0.03;
/** The first line below the cut continues the last one above when it starts this close (line heights). */
const SAME_PARAGRAPH_GAP = 1.0;

/** A thumbnail row with no more ink pixels than this is blank across the page (a speck is not a line). */
export const BLANK_ROW_INK = 1;

function inkMask(t: Pick<Thumbnail, 'data' | 'width' | 'height'>): Uint8Array {
  const paper = paperLevel(t.data);
  const mask = new Uint8Array(t.data.length);
  for (let i = 0; i < t.data.length; i++) mask[i] = (t.data[i] as number) < paper - 48 ? 1 : 0;
  return mask;
}

/**
 * The image row to cut at, or null when the page has no clean place for it: a run of white
 * thumbnail rows with 30-70% of the ink above it (the tallest of those with 42-58%, else the one
 * nearest half), where no columns run across it (reading order across a cut through columns
 * would interleave them).
 */
export function findSplitRow(t: Thumbnail, imageHeight: number): number | null {
  const ink = inkMask(t);
  const rows = rowInk(t, ink);
  const total = rows.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const candidates: Array<{ centre: number; length: number; balanced: boolean; off: number }> = [];
  let above = 0;
  let runStart = -1;
  for (let y = 0; y <= t.height; y++) {
    const blank = y < t.height && (rows[y] as number) <= BLANK_ROW_INK;
    if (blank && runStart < 0) runStart = y;
    if (!blank && runStart >= 0) {
      const length = y - runStart;
      const share = above / total;
      if (length >= MIN_GAP_ROWS && share >= MIN_PART_INK && share <= 1 - MIN_PART_INK) {
        candidates.push({ centre: runStart + length / 2, length, balanced: share >= BALANCED_PART_INK && share <= 1 - BALANCED_PART_INK, off: Math.abs(share - 0.5) });
      }
      runStart = -1;
    }
    if (y < t.height) above += rows[y] as number;
  }
  candidates.sort((a, b) => (a.balanced !== b.balanced ? (a.balanced ? -1 : 1) : a.balanced ? b.length - a.length : a.off - b.off));
  const cut = candidates.find((c) => !columnsCross(t, ink, c.centre));
  return cut ? Math.round((cut.centre / t.height) * imageHeight) : null;
}

/**
 * Ink pixels in each row of a thumbnail, darker than its paper by a margin: paper's level from its
 * lighter pixels, so that faint stroke edges count (a cut through them would clip the letters).
 */
export function inkPerRow(t: Pick<Thumbnail, 'data' | 'width' | 'height'>): number[] {
  return rowInk(t, inkMask(t));
}

function rowInk(t: Pick<Thumbnail, 'width' | 'height'>, ink: Uint8Array): number[] {
  const rows = new Array<number>(t.height).fill(0);
  for (let y = 0; y < t.height; y++) for (let x = 0; x < t.width; x++) rows[y] = (rows[y] as number) + (ink[y * t.width + x] as number);
  return rows;
}

/** Whether columns run across any of the page's image rows `rows` (a cut there would interleave them). */
export function columnsAcross(t: Thumbnail, rows: readonly number[], imageHeight: number): boolean {
  const ink = inkMask(t);
  return rows.some((row) => columnsCross(t, ink, (row / imageHeight) * t.height));
}

/**
 * Whether columns run across the cut: the text just above it and the text just below it both
 * have a white gutter. (Columns that end at the cut are read in order: all of them, then what follows.)
 */
function columnsCross(t: Thumbnail, ink: Uint8Array, centre: number): boolean {
  const band = Math.round(t.height * COLUMN_BAND);
  return hasGutter(t, ink, Math.max(0, Math.floor(centre) - band), Math.floor(centre)) && hasGutter(t, ink, Math.ceil(centre), Math.min(t.height, Math.ceil(centre) + band));
}

function hasGutter(t: Thumbnail, ink: Uint8Array, from: number, to: number): boolean {
  const columns = new Array<number>(t.width).fill(0);
  for (let y = from; y < to; y++) for (let x = 0; x < t.width; x++) columns[x] = (columns[x] as number) + (ink[y * t.width + x] as number);
  const left = columns.findIndex((c) => c > 0);
  const right = t.width - 1 - [...columns].reverse().findIndex((c) => c > 0);
  if (left < 0 || right <= left) return false;
  const gutter = Math.max(2, (right - left) * COLUMN_GUTTER);
  let run = 0;
  for (let x = left; x <= right; x++) {
    run = (columns[x] as number) === 0 ? run + 1 : 0;
    if (run >= gutter) return true;
  }
  return false;
}

/** Two bands of the page's rows, each [top, bottom) cut full width, as engine images in workDir. */
export async function cropRows(imagePath: string, first: [number, number], second: [number, number], workDir: string): Promise<[string, string]> {
  const input = sharp(imagePath, { limitInputPixels: false });
  const meta = await input.metadata();
  const density = await engineDensity(imagePath, meta);
  const crop = async ([top, bottom]: [number, number]) => {
    const out = engineImagePath(workDir, 'part');
    await toEngineImage(input.clone().extract({ left: 0, top, width: meta.width ?? 0, height: bottom - top }).greyscale(), out, density);
    return out;
  };
  return Promise.all([crop(first), crop(second)]);
}

/** The words of the line that ends lowest (first: starts highest) among `words`. */
function edgeLine(words: readonly RawWord[], last: boolean): RawWord[] {
  if (words.length === 0) return [];
  const pick = words.reduce((a, b) => (last ? (b.bbox[3] > a.bbox[3] ? b : a) : b.bbox[1] < a.bbox[1] ? b : a));
  return words.filter((w) => lineKey(w) === lineKey(pick));
}

/**
 * The page's reading from its two parts: the bottom part's words moved down by `cut`, its blocks
 * numbered after the top's, and its first paragraph joined to the top's last one when the cut
 * fell between two lines of one paragraph.
 */
export function joinParts(top: RecognizedPage, bottom: RecognizedPage, cut: number): RecognizedPage {
  const offset = top.words.reduce((m, w) => Math.max(m, w.block), 0);
  let lower: RawWord[] = bottom.words.map((w) => ({ ...w, block: w.block + offset, bbox: [w.bbox[0], w.bbox[1] + cut, w.bbox[2], w.bbox[3] + cut] }));
  const last = edgeLine(top.words.filter((w) => w.text.trim()), true);
  const first = edgeLine(lower.filter((w) => w.text.trim()), false);
  const [lastWord, firstWord] = [last[0], first[0]];
  if (lastWord && firstWord) {
    const lineHeight = Math.max(...last.map((w) => w.bbox[3] - w.bbox[1]), 1);
    const gap = Math.min(...first.map((w) => w.bbox[1])) - Math.max(...last.map((w) => w.bbox[3]));
    const leftDelta = Math.abs(Math.min(...first.map((w) => w.bbox[0])) - Math.min(...last.map((w) => w.bbox[0])));
    if (gap <= lineHeight * SAME_PARAGRAPH_GAP && leftDelta <= lineHeight * 2) {
      const lines = top.words.filter((w) => w.block === lastWord.block && w.par === lastWord.par).reduce((m, w) => Math.max(m, w.line), 0);
      const continued = (w: RawWord) => w.block === firstWord.block && w.par === firstWord.par;
      lower = lower.map((w) => (continued(w) ? { ...w, block: lastWord.block, par: lastWord.par, line: w.line + lines } : w));
    }
  }
  return { width: top.width, height: top.height + bottom.height, words: [...top.words, ...lower] };
}
