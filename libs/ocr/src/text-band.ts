import sharp from 'sharp';
import type { BBox } from '@ocr/domain';
import { engineDensity } from '@ocr/intake';
import { paintedOver } from './dark-fills';
import { median } from './median';
import { BLANK_ROW_INK, inkPerRow } from './page-split';
import { paperLevel } from './paper-level';
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
/** Lines in a small page's peek (cropPeek), and the most lines a page it is cut from may have. */
const PEEK_LINES = 2;
const MAX_PEEKED_PAGE_LINES = 7;
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

/** Boxes on a page (its dark fills) in the pixels of a copy of it `width` x `height` (its thumbnail). */
export interface PaintedOut {
  boxes: readonly BBox[];
  width: number;
  height: number;
}

/**
 * Finds the text lines of a page image, a file or its encoded bytes (a thumbnail's row profile: a
 * few ms). `paintedOut` (its dark fills) holds no lines: its rows are neither lines nor blank, so a
 * band is not cut through it.
 */
export async function findTextLines(imagePath: string | Buffer, paintedOut: PaintedOut | null = null): Promise<PageLines> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  if (width === 0 || height === 0) return { width, height, lines: [], slope: 0, gaps: [] };
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .greyscale()
    .resize({ width: Math.min(THUMBNAIL_WIDTH, width), kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [sx, sy] = paintedOut ? [info.width / paintedOut.width, info.height / paintedOut.height] : [1, 1];
  const boxes = (paintedOut?.boxes ?? []).map(([x0, y0, x1, y1]): BBox => [Math.floor(x0 * sx), Math.floor(y0 * sy), Math.ceil(x1 * sx), Math.ceil(y1 * sy)]);
  // The ink threshold is taken from the mean without the fills too: their dark would pull it down.
  const lineData = boxes.length > 0 ? paintedOver(data, info.width, boxes, paperLevel(data)) : data;
  let sum = 0;
  for (const v of lineData) sum += v;
  const threshold = (sum / data.length) * 0.75;
  // Row profiles of STRIPS vertical strips: across the whole width, a skew of a degree or two
  // smears dense lines into one run; within a quarter of it they stay apart. The strip that
  // separates the most lines stands for the page.
  const strips = Array.from({ length: STRIPS }, () => new Array<number>(info.height).fill(0));
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if ((lineData[y * info.width + x] as number) < threshold) {
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
  const lines = typicalLines(page);
  if (lines.length <= BAND_LINES + 1) return null;
  const middle = Math.floor((lines.length - BAND_LINES) / 2);
  const drift = Math.abs(slope) * (width / 2);
  const unlevelled = drift < MAX_UNLEVELLED_DRIFT;
  if (!unlevelled && lines.length < MIN_LINES_FOR_LEVELLED_BAND) return null;
  const out = engineImagePath(workDir, 'band');
  const density = await engineDensity(imagePath, await sharp(imagePath, { limitInputPixels: false }).metadata());
  const crop = (y0: number, y1: number) => cropFullWidth(imagePath, page, y0, y1);
  // A level page's band is cut through rows blank across the page where its lines allow: the page
  // above and below it can then be read apart from it, and its reading stands for its part of the
  // page (readAroundBand).
  const rows = unlevelled ? blankBand(page, lines, BAND_LINES) : null;
  // On a small page a band that stands for no rows is most of the page, read on top of it: the
  // page is probed whole instead (Serbian's, Tamil's and Myanmar's small pages read it in their
  // model, then the page again, 0.3-1.0 s).
  if (!rows && smallPage(page)) return null;
  if (rows) {
    await toEngineImage(crop(...rows), out, density);
    return { path: out, rows };
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
 * A small page's peek: PEEK_LINES of its lines from the middle, for the English reading that tells
 * a Latin page's language or that the page is not Latin. On a page of a few lines, a band of four or
 * the page itself (what English read before) costs most of the page's reading, thrown away wherever
 * the page is not English: a French page read in English and then in French took twice its time.
 * Two lines hold about 120 Latin letters, enough for franc. Cut through rows blank across the page
 * where they part the lines, the peek stands for its rows, and a page read in its model is read
 * around it (readAroundBand). Where none do (a blurred scan's lines touch, a skewed page's rows run
 * across lines), it is cut in the widest spaces between the lines' runs of ink, levelled if the page
 * is skewed, and stands for no rows: a fixed margin took in halves of the lines around, and read so
 * poorly that every script was tried. Null on a page of more lines (its band is a fraction of it)
 * or of too few to leave a line on either side.
 */
export async function cropPeek(imagePath: string, page: PageLines, workDir: string): Promise<TextBand | null> {
  const lines = typicalLines(page);
  if (lines.length > MAX_PEEKED_PAGE_LINES) return null;
  const level = Math.abs(page.slope) * (page.width / 2) < MAX_UNLEVELLED_DRIFT;
  const blank = level ? blankBand(page, lines, PEEK_LINES, true) : null;
  const first = Math.floor((lines.length - PEEK_LINES) / 2);
  const [above, top, bottom, below] = [lines[first - 1], lines[first], lines[first + PEEK_LINES - 1], lines[first + PEEK_LINES]];
  // Where no blank rows part the lines (a blurred scan's touch, a skewed page's run into each
  // other), the peek is cut in the widest space between the lines' runs of ink, and stands for no
  // rows of the page: a page read in its model is read whole.
  const rows = blank ?? (above && top && bottom && below ? ([widestSpace(page, above, top), widestSpace(page, bottom, below)] as [number, number]) : null);
  if (!rows) return null;
  const out = engineImagePath(workDir, 'peek');
  const density = await engineDensity(imagePath, await sharp(imagePath, { limitInputPixels: false }).metadata());
  if (level) {
    await toEngineImage(cropFullWidth(imagePath, page, ...rows), out, density);
    return { path: out, rows: blank };
  }
  // A skewed page (too little skewed to be levelled before its reading: under a degree) has the
  // peek cut with its lines' drift, turned level, and its middle kept, as a band is.
  const drift = Math.ceil(Math.abs(page.slope) * (page.width / 2));
  const y0 = Math.max(0, rows[0] - drift);
  const y1 = Math.min(page.height, rows[1] + drift);
  const turned = await cropFullWidth(imagePath, page, y0, y1)
    .rotate((-Math.atan(page.slope) * 180) / Math.PI, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = turned.info;
  const from = Math.max(0, Math.round(rows[0] - y0 + (height - (y1 - y0)) / 2));
  const keep = Math.min(height - from, rows[1] - rows[0]);
  await toEngineImage(sharp(turned.data, { raw: { width, height, channels } }).extract({ left: 0, top: from, width, height: Math.max(1, keep) }), out, density);
  return { path: out, rows: null };
}

/** The share of an image's width a strip (cropStrip) keeps, from its left edge. */
const STRIP_WIDTH = 1 / 3;

/**
 * A strip of an image (a band, a peek, a page): its left third, full height, into workDir. Read in a
 * model, it tells whether the model writes the page's script at a fraction of the image's reading
 * (where OSD's suggestions read unclearly, auto-language ranks the scripts still to try on it).
 */
export async function cropStrip(imagePath: string, workDir: string): Promise<string> {
  const image = sharp(imagePath, { limitInputPixels: false });
  const meta = await image.metadata();
  const width = Math.max(1, Math.round((meta.width ?? 1) * STRIP_WIDTH));
  const out = engineImagePath(workDir, 'strip');
  await toEngineImage(image.extract({ left: 0, top: 0, width, height: meta.height ?? 1 }).greyscale(), out, await engineDensity(imagePath, meta));
  return out;
}

/**
 * The middle of the widest space between two lines' runs of ink and any thinner runs between them
 * (descenders below the upper line, accents above the lower): the row a cut takes least ink from.
 */
function widestSpace(page: PageLines, upper: [number, number], lower: [number, number]): number {
  const runs = page.lines.filter(([a, b]) => a >= upper[1] && b <= lower[0]).sort((p, q) => p[0] - q[0]);
  const edges = [upper[1], ...runs.flat(), lower[0]];
  // Spaces are [edges[0], edges[1]], [edges[2], edges[3]], ...: from each run's end to the next's start.
  let best: [number, number] = [edges[0]!, edges[1]!];
  for (let i = 2; i + 1 < edges.length; i += 2) {
    if (edges[i + 1]! - edges[i]! > best[1] - best[0]) best = [edges[i]!, edges[i + 1]!];
  }
  return Math.round((best[0] + best[1]) / 2);
}

/** A page of a few lines, which a peek of two stands for in English (cropPeek). */
export function smallPage(page: PageLines): boolean {
  return countTextLines(page) <= MAX_PEEKED_PAGE_LINES;
}

/** The page's text lines, as bands and peeks count them (typicalLines). */
export function countTextLines(page: PageLines): number {
  return typicalLines(page).length;
}

/**
 * The median height in pixels of the page's lines as bands count them (typicalLines), and the
 * median distance from one's top to the next's; 0 where there are too few.
 */
export function typicalLineSize(page: PageLines): { height: number; pitch: number } {
  const lines = typicalLines(page);
  return { height: median(lines.map(([top, bottom]) => bottom - top)), pitch: median(lines.slice(1).map(([top], i) => top - (lines[i]?.[0] ?? top))) };
}

/** The page's lines without the runs much thinner than its typical line (rules, specks) or part of a line beside them. */
function typicalLines(page: PageLines): Array<[number, number]> {
  const lines = page.lines.filter((run, i) => !isSliver(run, page.lines[i - 1], page.lines[i + 1]));
  const typical = median(lines.map(([a, b]) => b - a));
  return lines.filter(([a, b]) => b - a >= typical * 0.5);
}

/**
 * A run at most SLIVER_SHARE of a neighbour's height and closer to it than SLIVER_GAP of that
 * height is part of the neighbour's line (its descenders, or accents above it), not a line. A
 * blurred, JPEG'd scan left a row of little ink under the baseline of most lines of a small Finnish
 * page (0.8 degrees turned): its six lines came out as ten runs, the median run was a descenders'
 * sliver, every run counted as a line, and the band cut from the "middle lines" sliced real ones in
 * half. Every model read it poorly (English 0.44, Finnish 0.49; Finnish 0.96 on the page) and every
 * script's model was read: 33 readings and 20 s for a page read in 0.5 s with `fin` given.
 */
const SLIVER_SHARE = 1 / 3;
const SLIVER_GAP = 0.15;

function isSliver(run: [number, number], above: [number, number] | undefined, below: [number, number] | undefined): boolean {
  const height = ([a, b]: [number, number]) => b - a;
  const partOf = (line: [number, number], gap: number) => height(run) <= height(line) * SLIVER_SHARE && gap <= height(line) * SLIVER_GAP;
  return (above !== undefined && partOf(above, run[0] - above[1])) || (below !== undefined && partOf(below, below[0] - run[1]));
}

function cropFullWidth(imagePath: string | Buffer, page: PageLines, y0: number, y1: number): sharp.Sharp {
  return sharp(imagePath, { limitInputPixels: false }).extract({ left: 0, top: y0, width: page.width, height: Math.max(1, y1 - y0) }).greyscale();
}

/**
 * The rows [top, bottom) of `count` lines from the middle of the page, or as near it as BAND_SHIFTS
 * go, cut through rows blank across the page with a line left on either side; null where none is.
 */
function blankBand(page: PageLines, lines: ReadonlyArray<[number, number]>, count: number, oneGapParts = false): [number, number] | null {
  const middle = Math.floor((lines.length - count) / 2);
  for (const shift of BAND_SHIFTS) {
    const first = middle + shift;
    if (first < 1 || first + count >= lines.length) continue;
    const y0 = blankCut(page, lines[first - 1]!, lines[first]!, oneGapParts);
    const y1 = blankCut(page, lines[first + count - 1]!, lines[first + count]!, oneGapParts);
    if (y0 !== null && y1 !== null) return [y0, y1];
  }
  return null;
}

/**
 * The row between two lines where a cut leaves both whole: the middle of the longest run of rows
 * blank across the page between them. Null when they touch, or a thinner run (an accent's, a
 * rule's) lies between them, unless `oneGapParts` and one run of blank rows does: the thin run is
 * then joined to one of the lines by inked rows (a French page's descenders, in a run of their own
 * below their line, with blank rows below them only), and the cut leaves it there.
 */
function blankCut(page: PageLines, upper: [number, number], lower: [number, number], oneGapParts = false): number | null {
  const thinRunBetween = page.lines.some(([a, b]) => a >= upper[1] && b <= lower[0]);
  if (thinRunBetween && !oneGapParts) return null;
  const centre = ([a, b]: [number, number]) => (a + b) / 2;
  const between = page.gaps.filter((gap) => centre(gap) > centre(upper) && centre(gap) < centre(lower) && gap[1] > gap[0]);
  if (thinRunBetween && between.length !== 1) return null;
  const widest = between.sort((p, q) => q[1] - q[0] - (p[1] - p[0]))[0];
  return widest ? Math.round(centre(widest)) : null;
}
