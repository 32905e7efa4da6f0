import type { Block, Line } from '@ocr/domain';
import { makeBlock } from './blocks';
import { median } from './stats';

const BULLET = /^(?:[•·▪◦‣●○■□➢►–—*-]|\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,5})[.)])\s+\S/iu;

export function isListItemStart(text: string): boolean {
  return BULLET.test(text);
}

/** Height of a line's typical word: ascenders and descenders vary less than the line box. */
function lineSize(line: Line): number {
  return median(line.words.map((w) => w.bbox[3] - w.bbox[1]));
}

/** A paragraph whose lines start with bullets or numbers becomes one block per item. */
function splitListItems(block: Block): Block[] {
  const starts = block.lines.map((l) => isListItemStart(l.text));
  if (!starts.some(Boolean)) return [block];
  const groups: Line[][] = [];
  block.lines.forEach((line, i) => {
    if (starts[i] || groups.length === 0) groups.push([line]);
    else groups[groups.length - 1]!.push(line);
  });
  return groups.map((lines) => {
    const part = makeBlock(lines);
    return isListItemStart(part.text) ? { ...part, kind: 'list_item' as const } : part;
  });
}

function headingLevel(block: Block, bodySize: number): number | null {
  if (bodySize <= 0 || block.lines.length > 3) return null;
  const text = block.text.trim();
  if (text.length < 2 || text.length > 120 || /[.,;:]$/.test(text) || !/\p{L}/u.test(text)) return null;
  const ratio = median(block.lines.map(lineSize)) / bodySize;
  if (ratio >= 2) return 1;
  if (ratio >= 1.6) return 2;
  if (ratio >= 1.3) return 3;
  return null;
}

/**
 * Marks headings (clearly larger type than the page's body text, short, no final punctuation)
 * and list items; everything else stays a paragraph. Works on OCR blocks and text-layer blocks alike.
 */
export function classifyBlocks(blocks: readonly Block[]): Block[] {
  const split = blocks.flatMap(splitListItems);
  const bodySize = median(split.flatMap((b) => b.lines.map(lineSize)));
  return split.map((block) => {
    if (block.kind === 'list_item') return block;
    const level = headingLevel(block, bodySize);
    return level === null ? { ...block, kind: 'paragraph' as const } : { ...block, kind: 'heading' as const, level };
  });
}
