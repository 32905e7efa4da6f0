import type { BBox, Block, Line, Table } from '@ocr/domain';

/*
 * What goes into the Word document for one page, in order: blocks (whole, or the part of them
 * outside any table) and tables. Kept apart from docx.ts so the placement rules are plain data
 * and can be reasoned about (and tested) without the Word writer.
 */

export type PageElement =
  | { kind: 'block'; block: Block; lines: Line[] }
  | { kind: 'table'; table: Table };

/** A line belongs to a table when its centre lies in the table's box (a few pixels of slack for ruling). */
const SLACK_PX = 3;

function inside(line: Line, box: BBox): boolean {
  const cx = (line.bbox[0] + line.bbox[2]) / 2;
  const cy = (line.bbox[1] + line.bbox[3]) / 2;
  return cx >= box[0] - SLACK_PX && cx <= box[2] + SLACK_PX && cy >= box[1] - SLACK_PX && cy <= box[3] + SLACK_PX;
}

function top(element: PageElement): number {
  if (element.kind === 'table') return element.table.bbox[1];
  return Math.min(...element.lines.map((l) => l.bbox[1]));
}

/**
 * Blocks in reading order with each table put where its first line was read: the lines inside a
 * table's box are not repeated as paragraphs, since the table carries them cell by cell. A table no
 * line falls into (its words were not kept as blocks) goes before the first block below its top.
 */
export function pageElements(blocks: readonly Block[], tables: readonly Table[]): PageElement[] {
  const out: PageElement[] = [];
  const placed = new Set<number>();
  for (const block of blocks) {
    let kept: Line[] = [];
    const flush = (): void => {
      if (kept.length > 0) out.push({ kind: 'block', block, lines: kept });
      kept = [];
    };
    for (const line of block.lines) {
      const t = tables.findIndex((table) => inside(line, table.bbox));
      if (t < 0) {
        kept.push(line);
        continue;
      }
      if (!placed.has(t)) {
        flush();
        out.push({ kind: 'table', table: tables[t]! });
        placed.add(t);
      }
    }
    flush();
  }
  tables.forEach((table, t) => {
    if (placed.has(t)) return;
    const at = out.findIndex((e) => top(e) > table.bbox[1]);
    const element: PageElement = { kind: 'table', table };
    if (at < 0) out.push(element);
    else out.splice(at, 0, element);
  });
  return out;
}

/** One grid position of a table: the cell starting there, one continuing a merge from above, or none. */
export type GridSlot =
  | { kind: 'start'; text: string; colSpan: number; rowSpan: number }
  | { kind: 'continue'; colSpan: number }
  | { kind: 'empty' };

/**
 * The table as rows of slots that each cover whole grid columns, which is what Word needs: a cell
 * spanning columns is one slot (gridSpan), a cell spanning rows starts a vertical merge in its first
 * row and is continued by a slot in each row below (vMerge). Spans are clipped to the grid; a cell
 * overlapping one already placed (a recognition slip) gives its text to that one instead of breaking
 * the grid; positions no cell covers become empty cells so every row is complete.
 */
export function tableGrid(table: Table): GridSlot[][] {
  const rows = Math.max(1, table.rows);
  const cols = Math.max(1, table.cols);
  const owner: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(-1));
  const texts = table.cells.map((c) => c.text);
  const spans = table.cells.map(() => ({ row: 1, col: 1 }));
  table.cells.forEach((cell, i) => {
    if (cell.row < 0 || cell.col < 0 || cell.row >= rows || cell.col >= cols) return;
    const first = owner[cell.row]![cell.col]!;
    if (first >= 0) {
      texts[first] = [texts[first], cell.text].filter(Boolean).join(' ');
      return;
    }
    // Grow the span only over free positions so two cells never claim one slot.
    let colSpan = 1;
    while (colSpan < Math.max(1, cell.col_span) && cell.col + colSpan < cols && owner[cell.row]![cell.col + colSpan] === -1) colSpan++;
    let rowSpan = 1;
    const rowFree = (r: number): boolean => {
      for (let c = cell.col; c < cell.col + colSpan; c++) if (owner[r]![c] !== -1) return false;
      return true;
    };
    while (rowSpan < Math.max(1, cell.row_span) && cell.row + rowSpan < rows && rowFree(cell.row + rowSpan)) rowSpan++;
    for (let r = cell.row; r < cell.row + rowSpan; r++) for (let c = cell.col; c < cell.col + colSpan; c++) owner[r]![c] = i;
    spans[i] = { row: rowSpan, col: colSpan };
  });
  return owner.map((line, r) => {
    const slots: GridSlot[] = [];
    for (let c = 0; c < cols; ) {
      const i = line[c]!;
      if (i < 0) {
        slots.push({ kind: 'empty' });
        c++;
        continue;
      }
      const cell = table.cells[i]!;
      const span = spans[i]!;
      slots.push(cell.row === r ? { kind: 'start', text: texts[i] ?? '', colSpan: span.col, rowSpan: span.row } : { kind: 'continue', colSpan: span.col });
      c += span.col;
    }
    return slots;
  });
}

/**
 * Relative column widths from the cells' boxes (median width of the one-column cells of each
 * column), so a narrow number column stays narrow; columns without such a cell share what is left.
 */
export function columnWeights(table: Table): number[] {
  const cols = Math.max(1, table.cols);
  const widths: Array<number | null> = [];
  for (let c = 0; c < cols; c++) {
    const w = table.cells
      .filter((cell) => cell.col === c && cell.col_span === 1)
      .map((cell) => cell.bbox[2] - cell.bbox[0])
      .filter((x) => x > 0)
      .sort((a, b) => a - b);
    widths.push(w.length > 0 ? w[Math.floor(w.length / 2)]! : null);
  }
  const known = widths.filter((w): w is number => w !== null);
  const total = table.bbox[2] - table.bbox[0];
  const rest = Math.max(0, total - known.reduce((a, b) => a + b, 0));
  const unknown = widths.length - known.length;
  const fallback = unknown > 0 ? Math.max(rest / unknown, total / cols / 2, 1) : 1;
  return widths.map((w) => w ?? fallback);
}
