import type { BlockKind } from '@ocr/domain';

/** A paragraph of a model's Markdown, with its lines as plain text (what the page shows). */
export interface MarkdownBlock {
  kind: BlockKind;
  level?: number;
  lines: string[];
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Inline Markdown to the text it shows: emphasis, code, links, images, escapes, HTML comments. */
export function inlinePlain(line: string): string {
  return line
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\\*\w])[*_]([^*_\s][^*_]*?)[*_](?![*\w])/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function tableRow(line: string): string {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => inlinePlain(c))
    .filter((c) => c !== '')
    .join(' ');
}

/**
 * Splits Markdown into blocks of plain lines: blank lines end a paragraph, headings and list items
 * are blocks of their own, table rows are lines (cells joined by spaces), fences keep their lines.
 */
export function parseMarkdown(markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let current: MarkdownBlock | null = null;
  let inFence = false;
  const close = () => {
    if (current && current.lines.length > 0) blocks.push(current);
    current = null;
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      if (raw.trim() === '') continue;
      current ??= { kind: 'paragraph', lines: [] };
      current.lines.push(raw.trim());
      continue;
    }
    const line = raw.trimEnd();
    if (line.trim() === '' || /^\s*\$\$\s*$/.test(line) || /^\s*(<!--.*-->)\s*$/.test(line)) {
      close();
      continue;
    }
    const heading = HEADING.exec(line.trim());
    if (heading) {
      close();
      const text = inlinePlain(heading[2] ?? '');
      if (text) blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, lines: [text] });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      close();
      current = { kind: 'list_item', lines: [] };
      const text = inlinePlain(item[1] ?? '');
      if (text) current.lines.push(text);
      continue;
    }
    if (TABLE_RULE.test(line) && line.includes('-')) continue;
    const text = line.trim().startsWith('|') ? tableRow(line) : inlinePlain(line);
    if (!text) continue;
    current ??= { kind: 'paragraph', lines: [] };
    current.lines.push(text);
  }
  close();
  return blocks;
}

/** Plain text of Markdown, laid out as the platform's page text: lines, blank line between blocks. */
export function markdownToText(markdown: string): string {
  return parseMarkdown(markdown)
    .map((b) => b.lines.join('\n'))
    .join('\n\n');
}
