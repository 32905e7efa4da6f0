import type { Word } from '@ocr/domain';

/** Words on one visual line across the whole page (Tesseract splits table rows into cell blocks). */
export interface TextRow {
  words: Word[];
  top: number;
  bottom: number;
  /** Median word height: the unit gaps and spacings are measured in. */
  height: number;
}

/** A run of words in a row with no wide gap inside: a cell candidate. */
export interface Segment {
  words: Word[];
  x0: number;
  x1: number;
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? 0) : 0;
};

const RULE_GLYPHS = /^[|¦‖]+$/u;

/** Groups words into page-wide visual lines by vertical overlap. */
export function textRows(words: readonly Word[]): TextRow[] {
  const rows: TextRow[] = [];
  // A vertical rule read as a glyph ('|') is not cell text: it would glue neighbouring cells together.
  const sorted = [...words].filter((w) => w.text.trim() && !RULE_GLYPHS.test(w.text)).sort((a, b) => (a.bbox[1] + a.bbox[3]) - (b.bbox[1] + b.bbox[3]));
  for (const word of sorted) {
    const [, y0, , y1] = word.bbox;
    const centre = (y0 + y1) / 2;
    const row = rows.find((r) => centre > r.top && centre < r.bottom && Math.min(y1, r.bottom) - Math.max(y0, r.top) > 0.4 * Math.min(y1 - y0, r.bottom - r.top));
    if (row) {
      row.words.push(word);
      row.top = Math.min(row.top, y0);
      row.bottom = Math.max(row.bottom, y1);
    } else rows.push({ words: [word], top: y0, bottom: y1, height: 0 });
  }
  for (const row of rows) {
    row.words.sort((a, b) => a.bbox[0] - b.bbox[0]);
    row.height = median(row.words.map((w) => w.bbox[3] - w.bbox[1]));
  }
  return rows.sort((a, b) => a.top - b.top);
}

/** Splits a row where the gap between words is wider than `gapFactor` word heights. */
export function segments(row: TextRow, gapFactor: number, splitAt: readonly number[] = []): Segment[] {
  const out: Segment[] = [];
  for (const word of row.words) {
    const last = out[out.length - 1];
    const gap = last ? word.bbox[0] - last.x1 : Infinity;
    const ruled = last ? splitAt.some((x) => x > last.x1 - 2 && x < word.bbox[0] + 2) : false;
    if (last && gap <= gapFactor * row.height && !ruled) {
      last.words.push(word);
      last.x1 = Math.max(last.x1, word.bbox[2]);
    } else out.push({ words: [word], x0: word.bbox[0], x1: word.bbox[2] });
  }
  return out;
}
