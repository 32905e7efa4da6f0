import { AppError } from './errors';

/**
 * `pages=` on a submission: 1-based page numbers and ranges, `1-3,5`, as Azure Document
 * Intelligence and OCRmyPDF take them. The syntax is checked at the edge (PAGE_SELECTION_PATTERN in
 * the request schema); the numbers only once the file's page count is known.
 */
export const PAGE_SELECTION_PATTERN = /^\s*[1-9]\d{0,5}(\s*-\s*[1-9]\d{0,5})?(\s*,\s*[1-9]\d{0,5}(\s*-\s*[1-9]\d{0,5})?)*\s*$/;

/** [first, last] pairs as written. */
export type PageRanges = Array<[number, number]>;

function invalidPages(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_field', message, { field: 'pages', ...details });
}

export function parsePageRanges(spec: string): PageRanges {
  if (!PAGE_SELECTION_PATTERN.test(spec)) {
    throw invalidPages("pages must be page numbers and ranges from 1, e.g. '1-3,5'");
  }
  return spec.split(',').map((part) => {
    const [first, last = first] = part.split('-').map((n) => Number(n.trim())) as [number, number?];
    if (last < first) throw invalidPages(`pages: the range ${first}-${last} runs backwards`);
    return [first, last];
  });
}

/**
 * The original page numbers a selection reads, ascending and each once (a page is read and
 * charged once however often it is named). A number past the file's last page is a 400.
 */
export function selectPages(ranges: PageRanges, pageCount: number): number[] {
  const pages = new Set<number>();
  for (const [first, last] of ranges) {
    if (last > pageCount) {
      throw invalidPages(`pages: the file has ${pageCount} page${pageCount === 1 ? '' : 's'}; ${last} is out of range`, { page_count: pageCount });
    }
    for (let p = first; p <= last; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}
