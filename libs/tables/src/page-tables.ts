import type { Affine, Block, PageContent, Table } from '@ocr/domain';
import { renderMarkdown } from '@ocr/layout';
import { detectTables, rowsSuggestTable } from './detect';
import { findRules, type Rules } from './ruled-lines';
import { tableMarkdown } from './render';

const NO_RULES: Rules = { horizontal: [], vertical: [] };

/** An image of the page to look for rules on, and how its pixels map to the page's coordinates. */
export interface PageImage {
  path: string;
  transform: Affine;
}

/**
 * Finds the page's tables. The image is made and scanned for rules only when the client asked for
 * tables or the words already line up in columns: a page of prose costs no extra pass over its
 * pixels. A text-layer page's image is a rendering of it, so that its ruled tables (cells of several
 * lines between rules) are found as a scan's are (the lattice mode of Tabula and Camelot).
 */
export async function findPageTables(page: PageContent, image: () => Promise<PageImage>, eager: boolean): Promise<Table[]> {
  const words = page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
  if (words.length === 0) return [];
  const scanned = eager || rowsSuggestTable(words) ? await image().catch(() => null) : null;
  const rules = scanned ? await findRules(scanned.path, scanned.transform).catch(() => NO_RULES) : NO_RULES;
  // A text layer's word boxes are exact: columns can be found from narrow shared white space.
  return detectTables(words, rules, page.width, { eager, stream: page.source === 'text-layer' });
}

const centreInside = (block: Block, table: Table): boolean => {
  const cx = (block.bbox[0] + block.bbox[2]) / 2;
  const cy = (block.bbox[1] + block.bbox[3]) / 2;
  return cx >= table.bbox[0] && cx <= table.bbox[2] && cy >= table.bbox[1] && cy <= table.bbox[3];
};

/** The page's Markdown with each table in place of the blocks it covers. */
export function markdownWithTables(blocks: readonly Block[], tables: readonly Table[]): string {
  if (tables.length === 0) return renderMarkdown(blocks);
  const parts: string[] = [];
  let run: Block[] = [];
  const placed = new Set<Table>();
  const flush = () => {
    if (run.length) parts.push(renderMarkdown(run));
    run = [];
  };
  for (const block of blocks) {
    const table = tables.find((t) => centreInside(block, t));
    if (!table) {
      run.push(block);
      continue;
    }
    flush();
    if (!placed.has(table)) {
      parts.push(tableMarkdown(table));
      placed.add(table);
    }
  }
  flush();
  for (const table of tables) if (!placed.has(table)) parts.push(tableMarkdown(table));
  return parts.filter((p) => p).join('\n\n');
}
