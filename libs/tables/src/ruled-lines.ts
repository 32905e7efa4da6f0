import sharp from 'sharp';
import { applyAffine, IDENTITY, type Affine } from '@ocr/domain';

/** A horizontal rule at `pos` (y) from `from` to `to` (x), or a vertical one at x from y to y. */
export interface Rule {
  pos: number;
  from: number;
  to: number;
}

export interface Rules {
  horizontal: Rule[];
  vertical: Rule[];
}

/** Darker than this (0..255) counts as ink. */
const INK = 140;
/** Gaps a scanned rule may have (pixels) and still count as one. */
const MAX_GAP = 3;
/** Thicker dark bands are filled areas or photos, not rules. */
const MAX_THICKNESS = 12;
/**
 * A filled band up to this thick (pixels, as scanned: about a third of an inch at 150 dpi) is a
 * dark cell background, a header row's white-on-black: its edges bound the cells as rules would.
 * A table's top rule that touches such a header merges into it, and the header row fell outside
 * the table (an ICDAR page lost its header: 82% of cells). Thicker bands are pictures.
 */
const MAX_FILL_THICKNESS = 50;

/**
 * Long straight runs of ink along the rows of `ink` (1 = ink, `lines` rows of `length`); runs on
 * neighbouring rows that cover the same span merge into one rule.
 */
function scan(ink: Uint8Array, lines: number, length: number, minLength: number): Rule[] {
  const open: Array<Rule & { first: number; last: number }> = [];
  const done: Rule[] = [];
  for (let line = 0; line < lines; line++) {
    const row = line * length;
    let start = -1;
    let lastInk = -1;
    const runs: Array<[number, number]> = [];
    for (let i = 0; i <= length; i++) {
      if (i < length && ink[row + i] === 1) {
        if (start < 0) start = i;
        lastInk = i;
      } else if (start >= 0 && i - lastInk > MAX_GAP) {
        if (lastInk - start + 1 >= minLength) runs.push([start, lastInk]);
        start = -1;
      }
    }
    for (const [from, to] of runs) {
      const same = open.find((o) => o.last >= line - 1 && Math.min(o.to, to) - Math.max(o.from, from) > 0.8 * Math.min(o.to - o.from, to - from));
      if (same) {
        same.last = line;
        same.from = Math.min(same.from, from);
        same.to = Math.max(same.to, to);
      } else open.push({ pos: line, from, to, first: line, last: line });
    }
    for (let k = open.length - 1; k >= 0; k--) {
      const o = open[k]!;
      if (o.last < line - 1) {
        done.push(...rulesOf(o));
        open.splice(k, 1);
      }
    }
  }
  for (const o of open) done.push(...rulesOf(o));
  return done;
}

/** A run of rows as rules: a thin one is a rule, a filled band's edges are two, a picture none. */
function rulesOf(band: { first: number; last: number; from: number; to: number }): Rule[] {
  const { first, last, from, to } = band;
  const thickness = last - first + 1;
  if (thickness <= MAX_THICKNESS) return [{ pos: (first + last) / 2, from, to }];
  if (thickness <= MAX_FILL_THICKNESS) return [{ pos: first, from, to }, { pos: last, from, to }];
  return [];
}

/** The ink mask of grey pixels, and the same mask transposed (columns as rows: read in order, not strided). */
function inkMasks(pixels: Uint8Array, width: number, height: number): { rows: Uint8Array; columns: Uint8Array } {
  const rows = new Uint8Array(width * height);
  const columns = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((pixels[row + x] as number) < INK) {
        rows[row + x] = 1;
        columns[x * height + y] = 1;
      }
    }
  }
  return { rows, columns };
}

/** Pages wider than this are scanned at half size: rules stay several pixels long, the work quarters. */
const HALVE_ABOVE = 2000;

/**
 * Ruled lines of a page image, in the coordinates of the recognised page (`transform` maps the
 * image's pixels there). Rules shorter than `minLengthRatio` of the page side are ignored: text
 * strokes and underlines of single words are not table rules.
 */
export async function findRules(imagePath: string, transform: Affine = IDENTITY, minLengthRatio = 0.04): Promise<Rules> {
  const image = sharp(imagePath, { limitInputPixels: false }).greyscale();
  const { width: fullWidth = 0 } = await image.metadata();
  if (fullWidth > HALVE_ABOVE) image.resize({ width: Math.round(fullWidth / 2) });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const scale = fullWidth / Math.max(1, width);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const minH = Math.max(20, Math.round(width * minLengthRatio));
  const minV = Math.max(20, Math.round(height * minLengthRatio));
  const ink = inkMasks(pixels, width, height);
  const horizontal = scan(ink.rows, height, width, minH);
  const vertical = scan(ink.columns, width, height, minV);
  const rules: Rules = { horizontal: [], vertical: [] };
  const place = (r: Rule, wasVertical: boolean) => {
    const [pos, from, to] = [r.pos * scale, r.from * scale, r.to * scale];
    const [ax, ay] = wasVertical ? applyAffine(transform, pos, from) : applyAffine(transform, from, pos);
    const [bx, by] = wasVertical ? applyAffine(transform, pos, to) : applyAffine(transform, to, pos);
    // After a quarter turn a horizontal rule is vertical: sort rules by the axis they now follow.
    if (Math.abs(bx - ax) >= Math.abs(by - ay)) rules.horizontal.push({ pos: (ay + by) / 2, from: Math.min(ax, bx), to: Math.max(ax, bx) });
    else rules.vertical.push({ pos: (ax + bx) / 2, from: Math.min(ay, by), to: Math.max(ay, by) });
  };
  for (const r of horizontal) place(r, false);
  for (const r of vertical) place(r, true);
  return rules;
}
