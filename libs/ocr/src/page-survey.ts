import sharp from 'sharp';

/**
 * Width the skew is estimated at. At 600 px a tenth of a degree moves a line's end by one pixel,
 * which is all the precision a deskew needs, and the page decodes in about 15 ms where the
 * 1000 px normalised copy took 110 ms of the node process's CPU on every page.
 */
const ANALYSIS_WIDTH = 600;
const MAX_SKEW_DEG = 10;
/** Ink pixels the profiles are built from: every k-th one beyond this bounds the cost on dense pages. */
const MAX_POINTS = 30_000;
/** A pixel darker than this share of the page's mean grey is ink (light paper, dark text). */
const INK_SHARE = 0.75;

function profileScore(xs: Int32Array, ys: Int32Array, n: number, angleDeg: number, width: number, height: number, bins: Float64Array): number {
  const a = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(a);
  const cos = Math.cos(a);
  const offset = Math.ceil(width * Math.abs(sin)) + 1;
  bins.fill(0, 0, height + 2 * offset + 2);
  for (let i = 0; i < n; i++) {
    const y = Math.round((ys[i] as number) * cos - (xs[i] as number) * sin) + offset;
    bins[y] = (bins[y] as number) + 1;
  }
  // Text lines aligned with the axis give sharp peaks: the sum of squares is largest there.
  let score = 0;
  for (let i = 0; i < height + 2 * offset + 2; i++) score += (bins[i] as number) * (bins[i] as number);
  return score;
}

/** Runs of profile rows this short (thumbnail rows) are specks or rules, not text lines. */
const MIN_LINE_ROWS = 3;
/** Rows inside a line holding at least this share of its densest row are its x-height core. */
const CORE_SHARE = 0.5;

/** What a small copy of the page says before any reading. */
export interface PageSurvey {
  /**
   * Skew of the text lines in degrees, clockwise positive (lines that descend to the right, in image
   * coordinates). Rotating the image by minus this straightens it. 0 when there is too little ink.
   */
  skew: number;
  /** Text lines found in the levelled profile. */
  lines: number;
  /**
   * Ink above the lines' x-height cores over ink below them. In Latin script ascenders and
   * capitals outnumber descenders: upright pages measured 1.04-4.2 on the corpus, its upside-down
   * pages 0.28-0.39. Other scripts balance differently (upright Russian 0.58, Hebrew 0.22).
   */
  ascenderRatio: number;
  /**
   * Mean share of a line's height taken by its x-height core. Latin lines measured 0.54-0.77 (the
   * rendered pages of nine languages and the corpus's pages); Arabic's and Tibetan's thin cores
   * 0.29-0.41, the square glyphs of Chinese, Japanese and Korean 0.84-0.95.
   */
  coreShare: number;
  /**
   * How far a line's densest row stands above its core's mean row, where that row is the core's top
   * (the headline of Devanagari, Bengali and Gurmukhi, the bars of Hebrew): the mean over lines of
   * max / core mean when the max sits in the top tenth of the core, else 1. Most Devanagari,
   * Bengali, Gurmukhi and Hebrew pages measured 1.3-1.49; Latin pages 1.00-1.25 (their densest rows
   * are mostly at the baseline or the x-line's middle).
   */
  headline: number;
  /**
   * Share of the lines' ink outside their cores (above and below them): Cyrillic's lower case is
   * mostly x-height (0.02-0.08 on its rendered pages), Latin's ascenders and descenders measured
   * 0.045-0.14 on the rendered pages and up to 0.225 on a typewritten corpus page.
   */
  outerInk: number;
  /**
   * Share of the ink (pixels darker than the page's local paper) that a global Otsu threshold, as
   * Tesseract applies by default, would turn white: light typewriting on tinted paper inside a dark
   * scanner border loses a quarter of its strokes (0.24) where the corpus's other pages lose at
   * most 0.11.
   */
  globalThresholdLoss: number;
  /** Thumbnail.chroma. */
  chroma: number;
}

/** A small greyscale copy of a page, as raw pixels. */
export interface Thumbnail {
  data: Uint8Array;
  width: number;
  height: number;
  /** Mean spread between the channels of a pixel (0 for grey images, about 100 on yellow paper). */
  chroma: number;
}

/** What a page without measurable lines surveys as. */
export const BLANK_SURVEY: PageSurvey = { skew: 0, lines: 0, ascenderRatio: 1, coreShare: 0.6, headline: 1, outerInk: 0.3, globalThresholdLoss: 0, chroma: 0 };

/** A line's densest row counts as a headline when it lies in this top share of the line's core. */
const HEADLINE_TOP = 0.1;

interface LineShapes {
  lines: number;
  /** Ink above the lines' cores over ink below them. */
  ratio: number;
  coreShare: number;
  headline: number;
  outerInk: number;
}

/** The shape of each line of a row profile: ink above and below its core, the core's share, a headline. */
function lineShapes(rows: Float64Array, length: number, minInk: number): LineShapes {
  let above = 0;
  let below = 0;
  let lines = 0;
  let coreShares = 0;
  let inCores = 0;
  let headlines = 0;
  let start = -1;
  const measure = (top: number, bottom: number) => {
    if (bottom - top + 1 < MIN_LINE_ROWS) return;
    let max = 0;
    let maxAt = top;
    for (let y = top; y <= bottom; y++) {
      if ((rows[y] as number) > max) [max, maxAt] = [rows[y] as number, y];
    }
    let coreTop = -1;
    let coreBottom = -1;
    for (let y = top; y <= bottom; y++) {
      if ((rows[y] as number) < max * CORE_SHARE) continue;
      if (coreTop < 0) coreTop = y;
      coreBottom = y;
    }
    let core = 0;
    for (let y = coreTop; y <= coreBottom; y++) core += rows[y] as number;
    inCores += core;
    for (let y = top; y < coreTop; y++) above += rows[y] as number;
    for (let y = coreBottom + 1; y <= bottom; y++) below += rows[y] as number;
    coreShares += (coreBottom - coreTop + 1) / (bottom - top + 1);
    const atTop = maxAt - coreTop <= (coreBottom - coreTop) * HEADLINE_TOP;
    headlines += atTop ? max / (core / (coreBottom - coreTop + 1)) : 1;
    lines++;
  };
  for (let y = 0; y < length; y++) {
    if ((rows[y] as number) > minInk) {
      if (start < 0) start = y;
    } else if (start >= 0) {
      measure(start, y - 1);
      start = -1;
    }
  }
  if (start >= 0) measure(start, length - 1);
  if (lines === 0) return { lines, ratio: 1, coreShare: BLANK_SURVEY.coreShare, headline: 1, outerInk: BLANK_SURVEY.outerInk };
  return { lines, ratio: (above + 1) / (below + 1), coreShare: coreShares / lines, headline: headlines / lines, outerInk: (above + below) / (above + below + inCores) };
}

/**
 * The page at ANALYSIS_WIDTH in grey (about 15 ms of decoding for a 300 dpi scan), and how far its
 * colours are from grey: the mean spread between the strongest and weakest channel of each pixel.
 */
export async function pageThumbnail(imagePath: string): Promise<Thumbnail> {
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .resize({ width: ANALYSIS_WIDTH, kernel: 'linear' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  // Not `info` itself: after an image with alpha was resized, it says `premultiplied`, and sharp
  // would then divide the colours by their last channel (a PNG page's text came out all but white).
  const raw = { width, height, channels };
  if (channels < 3) return { data: channels === 1 ? data : await sharp(data, { raw }).greyscale().raw().toBuffer(), width, height, chroma: 0 };
  let spread = 0;
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i] as number;
    const g = data[i + 1] as number;
    const b = data[i + 2] as number;
    spread += Math.max(r, g, b) - Math.min(r, g, b);
  }
  const grey = await sharp(data, { raw }).greyscale().raw().toBuffer();
  return { data: grey, width, height, chroma: spread / (width * height) };
}

/** The thumbnail turned clockwise by 90 or 270 degrees (a sideways page looked at upright). */
export function turnThumbnail({ data, width, height, chroma }: Thumbnail, degrees: 90 | 270): Thumbnail {
  const turned = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Clockwise by 90: the input's row y becomes the output's column (height - 1 - y).
      const [tx, ty] = degrees === 90 ? [height - 1 - y, x] : [y, width - 1 - x];
      turned[ty * height + tx] = data[y * width + x] as number;
    }
  }
  return { data: turned, width: height, height: width, chroma };
}

/** Otsu's threshold of a grey histogram: the level that best splits it into two classes. */
function otsuLevel(histogram: Float64Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * (histogram[i] as number);
  let below = 0;
  let sumBelow = 0;
  let best = -1;
  let level = 0;
  for (let i = 0; i < 256; i++) {
    below += histogram[i] as number;
    if (below === 0) continue;
    const above = total - below;
    if (above === 0) break;
    sumBelow += i * (histogram[i] as number);
    const spread = below * above * (sumBelow / below - (sum - sumBelow) / above) ** 2;
    if (spread > best) [best, level] = [spread, i];
  }
  return level;
}

/**
 * Measures a page on a small greyscale copy (about 30 ms of CPU at 300 dpi): the skew by projection
 * profiles, and in the profile at that angle the lines and their ascender/descender balance.
 */
export function surveyThumbnail({ data, width, height, chroma }: Thumbnail): PageSurvey {
  let sum = 0;
  const histogram = new Float64Array(256);
  for (const v of data) {
    sum += v;
    histogram[v] = (histogram[v] as number) + 1;
  }
  const threshold = (sum / Math.max(1, data.length)) * INK_SHARE;
  const otsu = otsuLevel(histogram, data.length);
  let inked = 0;
  let lostToOtsu = 0;
  for (const v of data) {
    if (v >= threshold) continue;
    inked++;
    if (v > otsu) lostToOtsu++;
  }
  // Nearly blank or nearly black pages have no lines to align.
  if (inked < 500 || inked > data.length * 0.5) return { ...BLANK_SURVEY, chroma };
  const stride = Math.max(1, Math.ceil(inked / MAX_POINTS));
  const xs = new Int32Array(Math.ceil(inked / stride) + 1);
  const ys = new Int32Array(xs.length);
  let n = 0;
  let seen = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] as number) < threshold && seen++ % stride === 0) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
    }
  }
  const bins = new Float64Array(height + 2 * (Math.ceil(width * Math.sin((MAX_SKEW_DEG * Math.PI) / 180)) + 2) + 4);
  let best = 0;
  let bestScore = -1;
  for (let a = -MAX_SKEW_DEG; a <= MAX_SKEW_DEG; a += 0.5) {
    const s = profileScore(xs, ys, n, a, width, height, bins);
    if (s > bestScore) [best, bestScore] = [a, s];
  }
  const coarse = best;
  for (let a = coarse - 0.4; a <= coarse + 0.41; a += 0.1) {
    const s = profileScore(xs, ys, n, a, width, height, bins);
    if (s > bestScore) [best, bestScore] = [a, s];
  }
  profileScore(xs, ys, n, best, width, height, bins);
  const offset = Math.ceil(width * Math.abs(Math.sin((best * Math.PI) / 180))) + 1;
  // A row of a text line holds ink over 1% of the width (in sampled points).
  const shapes = lineShapes(bins, height + 2 * offset + 2, (width * 0.01) / stride);
  return {
    skew: Math.round(best * 100) / 100,
    lines: shapes.lines,
    ascenderRatio: shapes.ratio,
    coreShare: shapes.coreShare,
    headline: shapes.headline,
    outerInk: shapes.outerInk,
    globalThresholdLoss: lostToOtsu / inked,
    chroma,
  };
}

export async function surveyPage(imagePath: string): Promise<PageSurvey> {
  return surveyThumbnail(await pageThumbnail(imagePath));
}

/** Rows of the full-resolution image looked at to tell a bilevel image (a band across its middle). */
const BILEVEL_SAMPLE_ROWS = 200;
/** Share of grey (neither black nor white) pixels a bilevel image may show (none, unless resampled). */
const BILEVEL_GREY_SHARE = 0.001;

/**
 * Whether the image holds only black and white (a bilevel scan, as office scanners store pages): a
 * second binarisation cannot change what the first one saw. Reads a band of rows at full
 * resolution, which a strip-organised TIFF or a PNG decodes without the rest of the page.
 */
export async function isBilevel(imagePath: string): Promise<boolean> {
  const { width = 0, height = 0 } = await sharp(imagePath, { limitInputPixels: false }).metadata();
  if (width === 0 || height === 0) return false;
  const rows = Math.min(height, BILEVEL_SAMPLE_ROWS);
  const data = await sharp(imagePath, { limitInputPixels: false })
    .extract({ left: 0, top: Math.floor((height - rows) / 2), width, height: rows })
    .greyscale()
    .raw()
    .toBuffer();
  let grey = 0;
  for (const v of data) if (v !== 0 && v !== 255) grey++;
  return grey <= data.length * BILEVEL_GREY_SHARE;
}
