import type { BBox } from '@ocr/domain';
import type { Thumbnail } from './page-survey';
import { paperLevel } from './paper-level';

/**
 * Dark fills of a page (a table's white-on-black header boxes, a banner): Tesseract's layout takes
 * them for pictures and reads the light letters on them poorly or not at all, as the CLI does.
 * They are found on the page's thumbnail here, and read inverted by fill-reading.ts.
 *
 * A pixel this far below the paper's level (its 90th percentile) is dark fill, not grey shading.
 */
const DARK_BELOW_PAPER = 110;
/**
 * Light gaps this narrow (thumbnail pixels) inside dark are closed: the strokes of light letters on
 * a fill, across (1-3 px on a 600 px thumbnail of a letter page; a bar of an E or a T up to 5) and
 * down (a bar's height). Wider down, the gaps between a fill and the lines of text above and below
 * it close too.
 */
const LETTER_GAP_ACROSS = 5;
const LETTER_GAP_DOWN = 1;
/** Dark this thin (thumbnail pixels) is opened away: rules and borders that touch a fill are not part of it. */
const RULE_THICKNESS = 3;
/**
 * A fill's dark covers this share of its box once its letters' strokes are closed (white bold
 * letters leave holes: header boxes on a mid-blue fill measured 0.80-0.90), and this share with its
 * holes filled (the letters, enclosed by the fill; light reaching in from the box's edge, as
 * between black letters closed into a blob, is not a hole).
 */
const MIN_SOLIDITY = 0.7;
const MIN_FILLED = 0.9;
/**
 * A fill's height in thumbnail pixels: a line of letters with room around it (header boxes measured
 * 11-17; a typewritten word struck out, 8, is no fill), at most half an inch or so (taller is a
 * picture).
 */
const MIN_HEIGHT = 10;
const MAX_HEIGHT_SHARE_OF_WIDTH = 0.07;
/** A fill at least this many times as wide as it is high holds a line of text (a square one is a picture or a bullet). */
const MIN_ASPECT = 2;
/** A fill has at least this many rows with an unbroken run of dark as long as the narrowest fill is wide (its margins). */
const SOLID_RUN = MIN_HEIGHT * MIN_ASPECT;
const MIN_SOLID_ROWS = 4;
/**
 * Light pixels inside a fill that holds letters: a bare black bar has none; a run of bold black
 * letters closed into a blob has more light than dark in its box.
 */
const MIN_LIGHT_SHARE = 0.04;
const MAX_LIGHT_SHARE = 0.4;
/**
 * A fill is dark around its letters: the ring it is cut along is mostly ink (header boxes, a
 * flag and banners measured 0.94-1.00), where a bold black word closed into a blob has its letters'
 * tops and bottoms there, with paper between them (0.21-0.73 on the corpus's receipts and tables).
 */
const MIN_RING_INK = 0.85;
/** Thumbnail pixels a fill is cut within its edges (the thumbnail's pixels blur paper into them). */
const INSET = 2;
/** A page with more fills than this holds a pattern or a picture, not headers: none is read. */
const MAX_FILLS = 12;

/** Dark fills of the page in the image's pixels, [x0, y0, x1, y1], top to bottom, cut within their edges. */
export function darkFills(t: Thumbnail, imageWidth: number, imageHeight: number): BBox[] {
  // Cut within the fill: paper around it, inverted, frames the letters, and the engine then finds none.
  return scaled(fillsOf(t), t, imageWidth, imageHeight, -INSET);
}

/**
 * Thumbnail pixels a fill is painted out beyond its edges: the thumbnail's pixels blur it into
 * the paper around it.
 */
const OUTSET = 1;

/**
 * Dark fills of the page in the image's pixels with the paper their edges blur into: what the
 * measures of the page's lines (its look, its text lines) leave out. A row of header boxes is no
 * line of text: measured as one, it looked square (cores 0.83) on a small table page, whose band
 * five square scripts' models then read before OSD was asked, and its headline made a French page
 * look unlike Latin.
 */
export function darkFillCovers(t: Thumbnail, imageWidth: number, imageHeight: number): BBox[] {
  return scaled(fillsOf(t), t, imageWidth, imageHeight, OUTSET);
}

/** The thumbnail with its dark fills painted over in the paper's level (the same thumbnail where it has none). */
export function withoutDarkFills(t: Thumbnail): Thumbnail {
  const covers = darkFillCovers(t, t.width, t.height);
  return covers.length === 0 ? t : { ...t, data: paintedOver(t.data, t.width, covers, paperLevel(t.data)) };
}

/** A grey image's pixels with the boxes painted in one level. */
export function paintedOver(data: Uint8Array, width: number, boxes: readonly BBox[], level: number): Uint8Array {
  // A copy: a Buffer's slice would be a view of the same pixels.
  const out = new Uint8Array(data);
  const height = data.length / width;
  for (const [x0, y0, x1, y1] of boxes) {
    const [left, right] = [Math.max(0, x0), Math.min(width, x1)];
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) out.fill(level, y * width + left, y * width + right);
  }
  return out;
}

/** Boxes in thumbnail pixels to the image's, grown (or shrunk, where negative) by `margin` thumbnail pixels. */
function scaled(boxes: readonly BBox[], t: Thumbnail, imageWidth: number, imageHeight: number, margin: number): BBox[] {
  const [sx, sy] = [imageWidth / t.width, imageHeight / t.height];
  // Rounded inwards when shrunk, outwards when grown.
  const [start, end] = margin < 0 ? [Math.ceil, Math.floor] : [Math.floor, Math.ceil];
  return boxes.map(([x0, y0, x1, y1]) => [
    Math.max(0, start((x0 - margin) * sx)),
    Math.max(0, start((y0 - margin) * sy)),
    Math.min(imageWidth, end((x1 + margin) * sx)),
    Math.min(imageHeight, end((y1 + margin) * sy)),
  ]);
}

/** Fills found by thumbnail: the survey's and the reading's look at the same one. */
const found = new WeakMap<Thumbnail, BBox[]>();

/** Dark fills of the page in the thumbnail's pixels, [x0, y0, x1, y1), top to bottom. */
function fillsOf(t: Thumbnail): BBox[] {
  let fills = found.get(t);
  if (!fills) {
    fills = findFills(t);
    found.set(t, fills);
  }
  return fills;
}

function findFills(t: Thumbnail): BBox[] {
  const { width, height } = t;
  const dark = Math.max(0, paperLevel(t.data) - DARK_BELOW_PAPER);
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = (t.data[i] as number) < dark ? 1 : 0;
  // Most pages have too few rows with a long run of dark (their letters' strokes are short) to hold
  // a fill: 55 of 79 measured (the corpus's pages and whole rendered ones) are left at that.
  if (solidRows(ink, width, height) < MIN_SOLID_ROWS) return [];
  // Light letters closed along rows and columns, then thin dark (rules, a border the fill hangs
  // from, black letters' strokes) opened away: what is left are the fills, solid.
  const closed = close(ink, width, height);
  const solid = open(closed, width, height, RULE_THICKNESS);
  const fills: BBox[] = [];
  for (const [box, area] of components(solid, width, height)) {
    const [x0, y0, x1, y1] = box;
    const [w, h] = [x1 - x0, y1 - y0];
    if (h < MIN_HEIGHT || h > width * MAX_HEIGHT_SHARE_OF_WIDTH || w < h * MIN_ASPECT || area < w * h * MIN_SOLIDITY) continue;
    // Holes are measured before the opening, which thins the dark above and below the letters away.
    if (filledShare(closed, width, box) < MIN_FILLED) continue;
    const light = 1 - inkShare(ink, width, box);
    if (light < MIN_LIGHT_SHARE || light > MAX_LIGHT_SHARE || ringInk(ink, width, box) < MIN_RING_INK) continue;
    fills.push(box);
    if (fills.length > MAX_FILLS) return [];
  }
  return fills.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

/**
 * Rows with a run of dark as long as the narrowest fill is wide, away from the image's edges (a
 * scan's dark border is no fill).
 */
function solidRows(ink: Uint8Array, width: number, height: number): number {
  let rows = 0;
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0, i = y * width; x <= width; x++, i++) {
      if (x < width && ink[i]) {
        run++;
        continue;
      }
      if (run >= SOLID_RUN && x - run > 0 && x < width) {
        rows++;
        break;
      }
      run = 0;
    }
  }
  return rows;
}

/** The mask with light letters' gaps between dark pixels filled, along rows, then along columns. */
function close(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = mask.slice();
  for (let y = 0; y < height; y++) {
    let lastDark = -1;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!mask[i]) continue;
      if (lastDark >= 0 && x - lastDark - 1 <= LETTER_GAP_ACROSS) out.fill(1, i - (x - lastDark - 1), i);
      lastDark = x;
    }
  }
  // Down the columns, row by row (each column's last dark row kept): memory is read in order.
  const lastDark = new Int32Array(width).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!out[i]) continue;
      const last = lastDark[x] as number;
      if (last >= 0 && y - last - 1 <= LETTER_GAP_DOWN) for (let r = last + 1; r < y; r++) out[r * width + x] = 1;
      lastDark[x] = y;
    }
  }
  return out;
}

/**
 * The mask without dark runs of up to `thin` pixels, across rows or down columns: a pixel is kept
 * where runs of at least thin + 1 dark pixels pass through it both ways (an erosion, then a dilation).
 */
function open(mask: Uint8Array, width: number, height: number, thin: number): Uint8Array {
  const min = thin + 1;
  const across = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0, i = y * width; x <= width; x++, i++) {
      const on = x < width && mask[i] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start >= min) across.fill(1, i - (x - start), i);
        start = -1;
      }
    }
  }
  const keep = new Uint8Array(mask.length);
  const runStart = new Int32Array(width).fill(-1);
  for (let y = 0; y <= height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const on = y < height && mask[i] === 1;
      const start = runStart[x] as number;
      if (on && start < 0) runStart[x] = y;
      if (!on && start >= 0) {
        if (y - start >= min) for (let r = start; r < y; r++) keep[r * width + x] = across[r * width + x] as number;
        runStart[x] = -1;
      }
    }
  }
  return keep;
}

/** Each 4-connected set of ones: its box [x0, y0, x1, y1) and its count of ones. */
function components(mask: Uint8Array, width: number, height: number): Array<[BBox, number]> {
  const found: Array<[BBox, number]> = [];
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let top = 0;
  const visit = (j: number) => {
    if (mask[j] && !seen[j]) {
      seen[j] = 1;
      stack[top++] = j;
    }
  };
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let [x0, y0, x1, y1, count] = [width, height, -1, -1, 0];
    visit(start);
    while (top > 0) {
      const i = stack[--top] as number;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      count++;
      if (x > 0) visit(i - 1);
      if (x + 1 < width) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y + 1 < height) visit(i + width);
    }
    found.push([[x0, y0, x1 + 1, y1 + 1], count]);
  }
  return found;
}

/** Share of a box that is dark or enclosed by dark: its light pixels not reached from the box's edge. */
function filledShare(dark: Uint8Array, width: number, [x0, y0, x1, y1]: BBox): number {
  const [w, h] = [x1 - x0, y1 - y0];
  const reached = new Uint8Array(w * h);
  const stack: number[] = [];
  const visit = (x: number, y: number) => {
    const j = (y - y0) * w + (x - x0);
    if (!reached[j] && !dark[y * width + x]) {
      reached[j] = 1;
      stack.push(j);
    }
  };
  for (let x = x0; x < x1; x++) {
    visit(x, y0);
    visit(x, y1 - 1);
  }
  for (let y = y0; y < y1; y++) {
    visit(x0, y);
    visit(x1 - 1, y);
  }
  let open = 0;
  while (stack.length) {
    const j = stack.pop() as number;
    open++;
    const [x, y] = [x0 + (j % w), y0 + Math.floor(j / w)];
    if (x > x0) visit(x - 1, y);
    if (x + 1 < x1) visit(x + 1, y);
    if (y > y0) visit(x, y - 1);
    if (y + 1 < y1) visit(x, y + 1);
  }
  return 1 - open / (w * h);
}

/** Share of ink on the ring of pixels a fill is cut along (INSET inside its box's edges). */
function ringInk(ink: Uint8Array, width: number, box: BBox): number {
  const [x0, y0, x1, y1] = [box[0] + INSET, box[1] + INSET, box[2] - 1 - INSET, box[3] - 1 - INSET];
  if (x1 - x0 < 2 || y1 - y0 < 2) return 0;
  let [n, total] = [0, 0];
  for (let x = x0; x <= x1; x++) {
    n += (ink[y0 * width + x] as number) + (ink[y1 * width + x] as number);
    total += 2;
  }
  for (let y = y0 + 1; y < y1; y++) {
    n += (ink[y * width + x0] as number) + (ink[y * width + x1] as number);
    total += 2;
  }
  return n / total;
}

/** Share of a box's pixels that are ink. */
function inkShare(ink: Uint8Array, width: number, [x0, y0, x1, y1]: BBox): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += ink[y * width + x] as number;
  return n / Math.max(1, (x1 - x0) * (y1 - y0));
}

