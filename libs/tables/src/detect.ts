import { unionBoxes, type Table, type TableCell, type Word } from '@ocr/domain';
import type { Rule, Rules } from './ruled-lines';
import { median, segments, textRows, type Segment, type TextRow } from './text-rows';

export interface TableOptions {
  /** Looser criteria (two columns, three rows) for pages the client says hold tables. */
  eager: boolean;
  /**
   * The words' boxes are exact (a PDF's text layer): columns are also found from vertical white
   * space shared by the rows (the stream mode of Tabula and Camelot), however narrow.
   */
  stream?: boolean;
}

/** A gap of this many word heights separates columns; word spaces are a third of one. */
const COLUMN_GAP = 1.1;
/** Stream columns: a row whose one segment spans this share of the region is a title, not cells. */
const SPANNING_SHARE = 0.6;
/** Stream columns: the shared white space is wider than this many word heights (a space is ~0.3). */
const STREAM_MIN_WIDTH = 0.45;
/** Stream columns: a run bounds a column only if this share of the rows has words on each side of it. */
const STREAM_OCCUPANCY = 0.3;
/** Rows further apart than this many row heights end an unruled table. */
const MAX_ROW_SPACING = 2.6;

interface Region {
  rows: TextRow[];
  ruled: boolean;
  /** Horizontal rules inside the region, top to bottom. */
  rules: Rule[];
  columns: number[];
  /** The gap (in word heights) that separates segments in this region. */
  gap: number;
  stream: boolean;
}

/** Groups of long horizontal rules with a common extent: each group bounds a ruled table. */
function ruledRegions(rows: TextRow[], rules: Rules, pageWidth: number): Region[] {
  const long = rules.horizontal.filter((r) => r.to - r.from > pageWidth * 0.15).sort((a, b) => a.pos - b.pos);
  const groups: Rule[][] = [];
  for (const rule of long) {
    const group = groups.find((g) => {
      const last = g[g.length - 1]!;
      const overlap = Math.min(last.to, rule.to) - Math.max(last.from, rule.from);
      return overlap > 0.8 * Math.max(last.to - last.from, rule.to - rule.from);
    });
    if (group) group.push(rule);
    else groups.push([rule]);
  }
  const regions: Region[] = [];
  for (const group of groups) {
    if (group.length < 2) continue;
    const top = group[0]!.pos;
    const bottom = group[group.length - 1]!.pos;
    const inside = rows.filter((r) => r.top > top - r.height * 0.3 && r.bottom < bottom + r.height * 0.3 && r.words.some((w) => w.bbox[0] >= group[0]!.from - 10 && w.bbox[2] <= group[0]!.to + 10));
    // Rules also frame sections of running text: a line of prose across the frame is not a row.
    const width = group[0]!.to - group[0]!.from;
    const tabular = inside.filter((r) => {
      const segs = segments(r, COLUMN_GAP);
      return segs.length > 1 || (segs[0] ? segs[0].x1 - segs[0].x0 < 0.6 * width : false);
    });
    if (tabular.length < 2) continue;
    const columns = rules.vertical
      .filter((v) => v.from < top + 10 && v.to > bottom - 10 && v.pos > group[0]!.from + 10 && v.pos < group[0]!.to - 10)
      .map((v) => v.pos);
    regions.push({ rows: tabular, ruled: true, rules: group, columns, gap: COLUMN_GAP, stream: false });
  }
  return regions;
}

/** Runs of consecutive rows that split into several aligned segments: unruled tables. */
function alignedRegions(rows: TextRow[], taken: Set<TextRow>, opts: TableOptions): Region[] {
  const minCols = opts.eager ? 2 : 3;
  const minRows = 3;
  // A narrower gap for text layers split prose-like cells into rows of their own (a table of the
  // ICDAR set lost a column): the region is found as for OCR words, its columns by white space.
  const gap = COLUMN_GAP;
  const regions: Region[] = [];
  let run: TextRow[] = [];
  let singles = 0;
  const flush = () => {
    while (run.length && segments(run[run.length - 1]!, gap).length < 2) run.pop();
    if (run.filter((r) => segments(r, gap).length >= minCols).length >= minRows) {
      regions.push({ rows: run, ruled: false, rules: [], columns: [], gap, stream: opts.stream === true });
    }
    run = [];
    singles = 0;
  };
  for (const row of rows) {
    const prev = run[run.length - 1];
    if (taken.has(row) || (prev && row.top - prev.bottom > MAX_ROW_SPACING * Math.max(row.height, prev.height))) flush();
    if (taken.has(row)) continue;
    const n = segments(row, gap).length;
    // Short cell text is what tables hold; wide segments are running prose beside something.
    const prose = segments(row, gap).some((s) => s.words.length > 12);
    if (n >= 2 && !prose) {
      run.push(row);
      singles = 0;
    } else if (run.length && n === 1 && !prose && singles < 1) {
      run.push(row);
      singles++;
    } else flush();
  }
  flush();
  return regions;
}

/**
 * Column boundaries: x positions no segment crosses, found on the rows with the most common
 * number of segments (header cells that span columns would otherwise merge them).
 */
function columnBounds(region: Region): number[] {
  const rowSegments = region.rows.map((r) => segments(r, region.gap, region.columns));
  const counts = new Map<number, number>();
  for (const s of rowSegments) counts.set(s.length, (counts.get(s.length) ?? 0) + 1);
  const typical = [...counts.entries()].filter(([n]) => n >= 2).sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 2;
  const basis = rowSegments.filter((s) => s.length >= typical).flat();
  const x0 = Math.min(...region.rows.flatMap((r) => r.words.map((w) => w.bbox[0])));
  const x1 = Math.max(...region.rows.flatMap((r) => r.words.map((w) => w.bbox[2])));
  const spans = basis.map((s) => [s.x0, s.x1] as const).sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let reach = -Infinity;
  for (const [a, b] of spans) {
    if (reach > -Infinity && a > reach) gaps.push([reach, a]);
    reach = Math.max(reach, b);
  }
  const bounds = gaps.map(([a, b]) => (a + b) / 2);
  // Where rules separate the columns they are the truth: a wide gap inside a ruled cell is not a column.
  const ruled = region.columns.filter((c) => c > x0 && c < x1);
  if (ruled.length) return [...ruled].sort((a, b) => a - b);
  return region.stream ? mergeBounds(gaps, whitespaceRuns(region, x0, x1)) : bounds;
}

/**
 * Stream mode: the runs of x inside the region that no row has a word on (rows whose one segment
 * spans most of the region, a title or a note, aside). A narrow gap that merges a row's cells
 * into one segment (a name against its party) still leaves this shared white space.
 */
function whitespaceRuns(region: Region, x0: number, x1: number): Array<[number, number]> {
  const left = Math.floor(x0);
  const free = new Uint8Array(Math.max(0, Math.ceil(x1) - left + 1)).fill(1);
  for (const row of region.rows) {
    const segs = segments(row, region.gap);
    if (segs.length === 1 && segs[0]!.x1 - segs[0]!.x0 > (x1 - x0) * SPANNING_SHARE) continue;
    for (const w of row.words) free.fill(0, Math.max(0, Math.floor(w.bbox[0]) - left), Math.max(0, Math.ceil(w.bbox[2]) - left));
  }
  const minWidth = STREAM_MIN_WIDTH * median(region.rows.map((r) => r.height));
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let x = 0; x < free.length; x++) {
    if (free[x] && start < 0) start = x;
    if (!free[x] && start >= 0) {
      if (start > 0 && x - start >= minWidth) runs.push([left + start, left + x]);
      start = -1;
    }
  }
  // A run starts or ends a column only if words lie beside it in enough rows: white space right of
  // short entries inside one wide column (a header's word spaces above it) is not a column gap.
  const starts = region.rows.flatMap((r) => r.words.map((w) => w.bbox[0]));
  const ends = region.rows.flatMap((r) => r.words.map((w) => w.bbox[2]));
  const need = region.rows.length * STREAM_OCCUPANCY;
  return runs.filter(([a, b], i) => {
    const next = runs[i + 1]?.[0] ?? Infinity;
    const prev = runs[i - 1]?.[1] ?? -Infinity;
    const right = region.rows.filter((r) => r.words.some((w) => w.bbox[0] >= b && w.bbox[0] < next)).length;
    const left = region.rows.filter((r) => r.words.some((w) => w.bbox[2] <= a && w.bbox[2] > prev)).length;
    return starts.length > 0 && ends.length > 0 && right >= need && left >= need;
  });
}

/**
 * Bounds from the typical rows' gaps and from shared white space: a gap holding a white-space run
 * is cut in the middle of its widest run (where every row has white space), and a run outside
 * every gap (cells glued by a narrow gap in most rows) is a column bound of its own.
 */
function mergeBounds(gaps: ReadonlyArray<[number, number]>, runs: ReadonlyArray<[number, number]>): number[] {
  const out: number[] = [];
  const used = new Set<readonly [number, number]>();
  for (const [from, to] of gaps) {
    const inside = runs.filter(([a, b]) => b > from && a < to).sort((p, q) => q[1] - q[0] - (p[1] - p[0]));
    inside.forEach((r) => used.add(r));
    const widest = inside[0];
    out.push(widest ? (widest[0] + widest[1]) / 2 : (from + to) / 2);
  }
  for (const run of runs) if (!used.has(run)) out.push((run[0] + run[1]) / 2);
  return out.sort((p, q) => p - q);
}

function columnOf(x: number, bounds: readonly number[]): number {
  let col = 0;
  while (col < bounds.length && x > (bounds[col] ?? Infinity)) col++;
  return col;
}

const cellText = (words: readonly Word[]): string => words.map((w) => w.text).join(' ');

/** Mean words per filled cell a ruled table may hold (four wrapped lines of six words). */
const MAX_RULED_CELL_WORDS = 24;

/** Lines a ruled table's header band may wrap over. */
const MAX_HEADER_LINES = 3;

/**
 * Lines closer than this share of a line's height to the line above are that line's wrapped
 * continuation; rows of a table are set further apart (a ruled table of the ICDAR set: cells of four
 * lines at 0.2-0.3, a blank line's spacing between rows).
 */
const WRAPPED_LINE_GAP = 0.5;

/**
 * In a ruled table without a rule between every row, a line whose first column is empty and that
 * follows the line above closely continues that line's cells (text wrapped inside its cells).
 */
function joinWrappedLines(bands: TextRow[][], firstColumnEnd: number): TextRow[][] {
  const joined: TextRow[][] = [];
  for (const band of bands) {
    const previous = joined[joined.length - 1];
    const above = previous?.[previous.length - 1];
    const line = band[0]!;
    const wrapped =
      band.length === 1 &&
      above !== undefined &&
      line.top - above.bottom < WRAPPED_LINE_GAP * Math.max(line.height, above.height) &&
      line.words.every((w) => (w.bbox[0] + w.bbox[2]) / 2 > firstColumnEnd);
    if (wrapped && previous) previous.push(line);
    else joined.push([...band]);
  }
  return joined;
}

/** The table's rows (ruledRows), with the wrapped lines of a ruled table joined to their row. */
function tableRows(region: Region, bounds: readonly number[]): TextRow[][] {
  const rows = ruledRows(region);
  return region.ruled && bounds.length > 0 ? joinWrappedLines(rows, bounds[0]!) : rows;
}

/**
 * Rows of the table: each visual line, except that the lines between the first two rules of a
 * ruled table are one header row (headers wrap inside their cells); fully ruled tables take their
 * rows from the rules.
 */
function ruledRows(region: Region): TextRow[][] {
  const rules = region.rules.map((r) => r.pos);
  const fullyRuled = region.ruled && rules.length - 1 >= region.rows.length * 0.6;
  if (fullyRuled) {
    const bands: TextRow[][] = [];
    for (let i = 0; i + 1 < rules.length; i++) {
      const band = region.rows.filter((r) => (r.top + r.bottom) / 2 > rules[i]! && (r.top + r.bottom) / 2 < rules[i + 1]!);
      if (band.length) bands.push(band);
    }
    return bands;
  }
  if (region.ruled && rules.length >= 3) {
    const header = region.rows.filter((r) => (r.top + r.bottom) / 2 < rules[1]!);
    const rest = region.rows.filter((r) => !header.includes(r)).map((r) => [r]);
    // A header wraps over a line or three; more rows above the first inner rule are rows of the
    // body (a header drawn as a filled bar is no rule, and the first rule is then below a group).
    return header.length && header.length <= MAX_HEADER_LINES ? [header, ...rest] : [...header.map((r) => [r]), ...rest];
  }
  return region.rows.map((r) => [r]);
}

function buildTable(region: Region): Table | null {
  const bounds = columnBounds(region);
  const cols = bounds.length + 1;
  if (cols < 2) return null;
  const cells: TableCell[] = [];
  const rows = tableRows(region, bounds);
  rows.forEach((band, row) => {
    const byCol = new Map<number, { words: Word[]; span: number }>();
    for (const line of band) {
      // Stream columns cut segments that run across them: a narrow gap glued the cells together.
      for (const seg of segments(line, region.gap, region.stream ? bounds : region.columns)) {
        const first = columnOf(seg.x0 + 1, bounds);
        const last = columnOf(seg.x1 - 1, bounds);
        addSegment(byCol, first, last, seg);
      }
    }
    for (const [col, { words, span }] of [...byCol.entries()].sort((a, b) => a[0] - b[0])) {
      const ordered = [...words].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
      cells.push({ row, col, row_span: 1, col_span: span, text: cellText(linesInOrder(ordered)), bbox: unionBoxes(words.map((w) => w.bbox)) });
    }
  });
  const words = region.rows.flatMap((r) => r.words);
  return { bbox: unionBoxes(words.map((w) => w.bbox)), rows: rows.length, cols, detection: region.ruled ? 'ruled' : 'aligned', cells };
}

function addSegment(byCol: Map<number, { words: Word[]; span: number }>, first: number, last: number, seg: Segment): void {
  const existing = byCol.get(first);
  if (existing) {
    existing.words.push(...seg.words);
    existing.span = Math.max(existing.span, last - first + 1);
  } else byCol.set(first, { words: [...seg.words], span: last - first + 1 });
}

/** Words of a cell line by line (a wrapped header reads top line first), left to right. */
function linesInOrder(words: Word[]): Word[] {
  return textRows(words).flatMap((r) => r.words);
}

/** Tables of one page from its words and, where the page image was scanned for them, its rules. */
export function detectTables(words: readonly Word[], rules: Rules, pageWidth: number, opts: TableOptions): Table[] {
  const rows = textRows(words);
  const ruled = ruledRegions(rows, rules, pageWidth);
  const taken = new Set(ruled.flatMap((r) => r.rows));
  const regions = [...ruled, ...alignedRegions(rows, taken, opts)].sort((a, b) => (a.rows[0]?.top ?? 0) - (b.rows[0]?.top ?? 0));
  return regions
    .map((region) => ({ region, table: buildTable(region) }))
    .filter(({ region, table }) => table !== null && table.rows >= 2 && looksTabular(table, region.ruled || opts.eager, region.ruled))
    .map(({ table }) => table as Table);
}

/**
 * Columns of running text (a magazine page, a letter beside its margin notes) also split into
 * aligned segments; what tells a table is short cells that fill most of the grid. Rules or the
 * client's word that the page holds tables earn the looser bounds.
 */
function looksTabular(table: Table, trusted: boolean, ruled: boolean): boolean {
  const filled = table.cells.filter((c) => c.text.trim());
  if (filled.length === 0) return false;
  const words = filled.reduce((n, c) => n + c.text.split(/\s+/).filter(Boolean).length, 0);
  const meanWords = words / filled.length;
  const fill = filled.length / (table.rows * table.cols);
  // Rules between rows let a cell hold a few wrapped lines of text.
  if (trusted) return meanWords <= (ruled ? MAX_RULED_CELL_WORDS : 8) && fill >= 0.3;
  return meanWords <= 4 && fill >= 0.5 && columnsAligned(table);
}

/**
 * A table's columns line up: the cells of a column share a left edge, a right edge or a centre.
 * Gaps that happen to line up in justified or typewritten prose (rivers) give columns whose cells
 * start and end anywhere.
 */
function columnsAligned(table: Table): boolean {
  const unit = median(table.cells.map((c) => c.bbox[3] - c.bbox[1]));
  let columns = 0;
  let aligned = 0;
  for (let col = 0; col < table.cols; col++) {
    const cells = table.cells.filter((c) => c.col === col && c.col_span === 1 && c.text.trim());
    if (cells.length < 3) continue;
    columns++;
    const spread = (edge: (c: TableCell) => number) => {
      const values = cells.map(edge);
      const mid = median(values);
      return median(values.map((v) => Math.abs(v - mid)));
    };
    const best = Math.min(spread((c) => c.bbox[0]), spread((c) => c.bbox[2]), spread((c) => (c.bbox[0] + c.bbox[2]) / 2));
    if (best <= unit) aligned++;
  }
  return columns > 0 && aligned >= Math.ceil((columns * 2) / 3);
}

/**
 * Cheap test on words alone: do at least three rows split into three or more columns? (Letters,
 * with a date or an address beside the text, often split in two; tables of two columns are found
 * when the client asks for tables.)
 */
export function rowsSuggestTable(words: readonly Word[]): boolean {
  return textRows(words).filter((r) => segments(r, COLUMN_GAP).length >= 3).length >= 3;
}
