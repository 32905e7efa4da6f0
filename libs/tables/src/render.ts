import type { Table } from '@ocr/domain';

/** The table as a grid of strings; a spanning cell's text sits in its top-left slot, covered slots are empty. */
export function tableGrid(table: Table): string[][] {
  const grid = Array.from({ length: table.rows }, () => Array.from({ length: table.cols }, () => ''));
  for (const cell of table.cells) {
    const row = grid[cell.row];
    if (row && cell.col < row.length) row[cell.col] = cell.text;
  }
  return grid;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends. */
export function tableCsv(table: Table): string {
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return tableGrid(table).map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A Markdown (GFM) table; the first row is the header, as Markdown requires one. */
export function tableMarkdown(table: Table): string {
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const grid = tableGrid(table).map((row) => `| ${row.map(cell).join(' | ')} |`);
  const rule = `|${' --- |'.repeat(table.cols)}`;
  return [grid[0] ?? '', rule, ...grid.slice(1)].join('\n');
}
