import sharp from 'sharp';
import { engineDensity } from '@ocr/intake';
import { BLANK_ROW_INK, inkPerRow } from './page-split';
import { engineImagePath, toEngineImage } from './transform';

/** Width of the thumbnail the text lines are found on. */
const THUMBNAIL_WIDTH = 800;
/** A row with ink over this share of the width belongs to a text line. */
const ROW_INK_SHARE = 0.01;
/** Steeper than this (about 10 degrees), a strip-to-strip offset is a mismatch, not a skew. */
const MAX_SLOPE = 0.18;
/** Vertical strips whose row profiles are measured. */
const STRIPS = 4;
/** Lines in the band: enough letters (~250 in Latin) for the language, a fraction of the page's cost. */
const BAND_LINES = 4;
/**
 * A band cut from a skewed page and levelled needs a page of this many lines: on a page of six or
 * seven, it is most of the page, read on top of it, and its margins take in parts of the lines
 * around it, so that every model reads it worse (a scanned Greek page cost four band readings, then
 * its reading; probed whole, one, 2.9 s -> 1.1 s). Such a page is probed whole. A level page's band
 * cut by margins stays: Serbian and Tamil pages read their band in three models.
 */
const MIN_LINES_FOR_LEVELLED_BAND = 8;
/**
 * A band whose lines drift less than this (pixels, from the page's centre to its edge) is cut as it
 * is: a tenth of a degree or so, which Tesseract takes in its stride (clean rendered pages measured
 * 0-4 px, a quarter-row of the thumbnail, where the strips' offsets round to one thumbnail row).
 */
const MAX_UNLEVELLED_DRIFT = 5;
/**
 * Where the band may start when the middle one's edges cut through ink: lines from the middle,
 * nearest first, so that the band stays among the page's typical lines.
 */
const BAND_SHIFTS = [0, -1, 1, -2, 2, -3, 3];
/** Runs of inked rows shorter than this (thumbnail pixels) are rules or specks, not text lines. */
const MIN_LINE_ROWS = 2;

/** Runs of inked rows in a row profile: [first, last] thumbnail rows of each text line. */
export function inkedRuns(rowInk: readonly number[], minInk: number): Array<[number, number]> {
  return runsWhere(rowInk, (ink) => ink > minInk, MIN_LINE_ROWS);
}

/** Runs of at least `minLength` consecutive rows whose value passes `test`: [first, last] of each. */
function runsWhere(values: readonly number[], test: (value: number) => boolean, minLength: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let y = 0; y <= values.length; y++) {
    const inside = y < values.length && test(values[y] as number);
    if (inside && start < 0) start = y;
    if (!inside && start >= 0) {
      if (y - start >= minLength) runs.push([start, y - 1]);
      start = -1;
    }
  }
  return runs;
}

/** Text lines of a page from a thumbnail's row profile, in the image's own pixels. */
export interface PageLines {
  width: number;
  height: number;
  /** [top, bottom] of each line where it crosses the page's vertical centre line (side-by-side columns count once). */
  lines: Array<[number, number]>;
  /** The lines' slope (dy/dx, image coordinates: positive descends to the right). */
  slope: number;
  /** [top, bottom) of each run of rows blank across the whole width (a speck aside). */
  gaps: Array<[number, number]>;
}

/** Finds the text lines of a page image (a thumbnail's row profile: a few ms). */
export async function findTextLines(imagePath: string): Promise<PageLines> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  if (width === 0 || height === 0) return { width, height, lines: [], slope: 0, gaps: [] };
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .greyscale()
    .resize({ width: Math.min(THUMBNAIL_WIDTH, width), kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (const v of data) sum += v;
  const threshold = (sum / data.length) * 0.75;
  // Row profiles of STRIPS vertical strips: across the whole width, a skew of a degree or two
  // smears dense lines into one run; within a quarter of it they stay apart. The strip that
  // separates the most lines stands for the page.
  const strips = Array.from({ length: STRIPS }, () => new Array<number>(info.height).fill(0));
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if ((data[y * info.width + x] as number) < threshold) {
        const strip = strips[Math.min(STRIPS - 1, Math.floor((x * STRIPS) / info.width))] as number[];
        strip[y] = (strip[y] as number) + 1;
      }
    }
  }
  // Blank rows by the split's measure of ink, which sees the faint edges of strokes that the
  // lines' threshold leaves out.
  const across = inkPerRow({ data, width: info.width, height: info.height });
  const minInk = (info.width / STRIPS) * ROW_INK_SHARE;
  const runs = strips.map((rowInk) => inkedRuns(rowInk, minInk));
  const best = runs.reduce((b, r, i) => (r.length > (runs[b]?.length ?? 0) ? i : b), 0);
  const slope = stripSlope(runs, info.width / STRIPS);
  // Each line as it crosses the vertical centre line: where a band cut around it must be centred.
  const shift = slope * (info.width / 2 - (best + 0.5) * (info.width / STRIPS));
  const scale = height / info.height;
  const lines = (runs[best] ?? []).map(([a, b]): [number, number] => [Math.floor((a + shift) * scale), Math.ceil((b + 1 + shift) * scale)]);
  const gaps = runsWhere(across, (ink) => ink <= BLANK_ROW_INK, 1).map(([a, b]): [number, number] => [Math.ceil(a * scale), Math.floor((b + 1) * scale)]);
  return { width, height, lines, slope, gaps };
}


/**
 * The lines' slope from the row runs of neighbouring strips that each separate three lines or
 * more: each run of one is paired with the nearest of the next (neighbours drift apart by less
 * than half a line at 10 degrees), and the median offset over all pairs is taken.
 */
function stripSlope(runs: ReadonlyArray<Array<[number, number]>>, stripWidth: number): number {
  const centre = ([a, b]: [number, number]) => (a + b) / 2;
  const slopes: number[] = [];
  for (let i = 0; i + 1 < runs.length; i++) {
    const [left, right] = [runs[i]!, runs[i + 1]!];
    if (left.length < 3 || right.length < 3) continue;
    const pitch = (centre(left[left.length - 1]!) - centre(left[0]!)) / (left.length - 1);
    const offsets: number[] = [];
    for (const run of left) {
      const c = centre(run);
      const nearest = right.map(centre).sort((p, q) => Math.abs(p - c) - Math.abs(q - c))[0];
      if (nearest !== undefined && Math.abs(nearest - c) < pitch / 2) offsets.push(nearest - c);
    }
    if (offsets.length < 2) continue;
    offsets.sort((a, b) => a - b);
    slopes.push((offsets[offsets.length >> 1] as number) / stripWidth);
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const slope = slopes[slopes.length >> 1] as number;
  return Math.abs(slope) <= MAX_SLOPE ? slope : 0;
}

/** A band cut from a page: its image, and the page's rows [top, bottom) it holds as they are. */
export interface TextBand {
  path: string;
  /** The rows cut, when the cuts ran through rows blank across the page. */
  rows: [number, number] | null;
}

/**
 * A band of a few text lines from the middle of the page, cropped full width into workDir: the
 * script and the language are told from a reading of it, which costs a fraction of the page's.
 * Null when the page has so few lines that the band would be the page, or is skewed with fewer than
 * MIN_LINES_FOR_LEVELLED_BAND.
 */
export async function cropTextBand(imagePath: string, page: PageLines, workDir: string): Promise<TextBand | null> {
  const { width, height, slope } = page;
  // Runs much thinner than the page's typical line are rules or specks: not lines to read.
  const heights = page.lines.map(([a, b]) => b - a).sort((a, b) => a - b);
  const typical = heights[heights.length >> 1] ?? 0;
  const lines = page.lines.filter(([a, b]) => b - a >= typical * 0.5);
  if (lines.length <= BAND_LINES + 1) return null;
  const middle = Math.floor((lines.length - BAND_LINES) / 2);
  const drift = Math.abs(slope) * (width / 2);
  const unlevelled = drift < MAX_UNLEVELLED_DRIFT;
  if (!unlevelled && lines.length < MIN_LINES_FOR_LEVELLED_BAND) return null;
  const out = engineImagePath(workDir, 'band');
  const density = await engineDensity(imagePath, await sharp(imagePath, { limitInputPixels: false }).metadata());
  const crop = (y0: number, y1: number) => sharp(imagePath, { limitInputPixels: false }).extract({ left: 0, top: y0, width, height: Math.max(1, y1 - y0) }).greyscale();
  // A level page's band is cut through rows blank across the page where its lines allow: the page
  // above and below it can then be read apart from it, and its reading stands for its part of the
  // page (readAroundBand).
  for (const shift of unlevelled ? BAND_SHIFTS : []) {
    const first = middle + shift;
    if (first < 1 || first + BAND_LINES >= lines.length) continue;
    const y0 = blankCut(page, lines[first - 1]!, lines[first]!);
    const y1 = blankCut(page, lines[first + BAND_LINES - 1]!, lines[first + BAND_LINES]!);
    if (y0 === null || y1 === null) continue;
    await toEngineImage(crop(y0, y1), out, density);
    return { path: out, rows: [y0, y1] };
  }
  const first = middle;
  const top = lines[first]![0];
  const bottom = lines[first + BAND_LINES - 1]![1];
  const margin = ((bottom - top) / BAND_LINES) * 0.3;
  // A skewed page's lines rise or fall across the width: the cut takes in that drift, is turned
  // level, and its middle (the band's lines, now level) is kept.
  const spread = unlevelled ? 0 : drift;
  const y0 = Math.max(0, Math.floor(top - margin - spread));
  const y1 = Math.min(height, Math.ceil(bottom + margin + spread));
  const cut = crop(y0, y1);
  if (unlevelled) {
    await toEngineImage(cut, out, density);
    return { path: out, rows: null };
  }
  const level = await cut.rotate((-Math.atan(slope) * 180) / Math.PI, { background: '#ffffff' }).png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  const keep = Math.min(level.info.height, Math.ceil(bottom - top + 2 * margin));
  // The band's centre row sits where the cut's did: mid-way between its lines' centres.
  const centre = (top + bottom) / 2 - y0 + (level.info.height - (y1 - y0)) / 2;
  const from = Math.max(0, Math.min(level.info.height - keep, Math.round(centre - keep / 2)));
  await toEngineImage(sharp(level.data).extract({ left: 0, top: from, width: level.info.width, height: keep }), out, density);
  return { path: out, rows: null };
}

/**
 * The row between two lines where a cut leaves both whole: the middle of the longest run of rows
 * blank across the page between them. Null when they touch, or a thinner run (an accent's, a
 * rule's) lies between them.
 */
function blankCut(page: PageLines, upper: [number, number], lower: [number, number]): number | null {
  if (page.lines.some(([a, b]) => a >= upper[1] && b <= lower[0])) return null;
  const centre = ([a, b]: [number, number]) => (a + b) / 2;
  const between = page.gaps.filter((gap) => centre(gap) > centre(upper) && centre(gap) < centre(lower) && gap[1] > gap[0]);
  const widest = between.sort((p, q) => q[1] - q[0] - (p[1] - p[0]))[0];
  return widest ? Math.round(centre(widest)) : null;
}
