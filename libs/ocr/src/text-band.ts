import { join } from 'node:path';
import sharp from 'sharp';

/** Width of the thumbnail the text lines are found on. */
const THUMBNAIL_WIDTH = 800;
/** A row with ink over this share of the width belongs to a text line. */
const ROW_INK_SHARE = 0.01;
/** Lines in the band: enough letters (~250 in Latin) for the language, a fraction of the page's cost. */
const BAND_LINES = 4;
/** Runs of inked rows shorter than this (thumbnail pixels) are rules or specks, not text lines. */
const MIN_LINE_ROWS = 2;

let counter = 0;

/** Runs of inked rows in a row profile: [first, last] thumbnail rows of each text line. */
export function inkedRuns(rowInk: readonly number[], minInk: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  rowInk.forEach((ink, y) => {
    if (ink > minInk) {
      if (start < 0) start = y;
    } else if (start >= 0) {
      if (y - start >= MIN_LINE_ROWS) runs.push([start, y - 1]);
      start = -1;
    }
  });
  if (start >= 0 && rowInk.length - start >= MIN_LINE_ROWS) runs.push([start, rowInk.length - 1]);
  return runs;
}

/** Text lines of a page from a thumbnail's row profile, in the image's own pixels. */
export interface PageLines {
  width: number;
  height: number;
  /** [top, bottom] of each line (lines of side-by-side columns count once). */
  lines: Array<[number, number]>;
}

/** Finds the text lines of a page image (a thumbnail's row profile: a few ms). */
export async function findTextLines(imagePath: string): Promise<PageLines> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  if (width === 0 || height === 0) return { width, height, lines: [] };
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .greyscale()
    .resize({ width: Math.min(THUMBNAIL_WIDTH, width), kernel: 'nearest' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (const v of data) sum += v;
  const threshold = (sum / data.length) * 0.75;
  const rowInk: number[] = new Array<number>(info.height).fill(0);
  for (let y = 0; y < info.height; y++) {
    let ink = 0;
    for (let x = 0; x < info.width; x++) if ((data[y * info.width + x] as number) < threshold) ink++;
    rowInk[y] = ink;
  }
  const scale = height / info.height;
  const lines = inkedRuns(rowInk, info.width * ROW_INK_SHARE).map(([a, b]): [number, number] => [Math.floor(a * scale), Math.ceil((b + 1) * scale)]);
  return { width, height, lines };
}

/**
 * A band of a few text lines from the middle of the page, cropped full width into workDir: the
 * script and the language are told from a reading of it, which costs a fraction of the page's.
 * Null when the page has so few lines that the band would be the page.
 */
export async function cropTextBand(imagePath: string, page: PageLines, workDir: string): Promise<string | null> {
  const { lines, width, height } = page;
  if (lines.length <= BAND_LINES + 1) return null;
  const first = Math.floor((lines.length - BAND_LINES) / 2);
  const top = lines[first]![0];
  const bottom = lines[first + BAND_LINES - 1]![1];
  const margin = (bottom - top) / BAND_LINES / 2;
  const y0 = Math.max(0, Math.floor(top - margin));
  const y1 = Math.min(height, Math.ceil(bottom + margin));
  const out = join(workDir, `band-${process.pid}-${counter++}.png`);
  await sharp(imagePath, { limitInputPixels: false })
    .extract({ left: 0, top: y0, width, height: Math.max(1, y1 - y0) })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toFile(out);
  return out;
}
