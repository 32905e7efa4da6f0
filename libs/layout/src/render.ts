import type { Block } from '@ocr/domain';
import { UNSPACED } from './blocks';
import { round4 } from './stats';

/** Plain text: lines as recognised, paragraphs separated by a blank line. */
export function renderText(blocks: readonly Block[]): string {
  return blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n\n');
}

/** Joins a paragraph's lines into one, mending words hyphenated across a line end. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out === '') out = line;
    else if (/\p{Ll}[-¬]$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    // A line of an unspaced script wraps between characters: joined, it gets no space.
    else out += UNSPACED.test(out.slice(-1)) && UNSPACED.test(line.charAt(0)) ? line : ` ${line}`;
  }
  return out;
}

/** Characters that would turn recognised text into Markdown syntax where it starts a line. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>|])/g, '\\$1')
    .replace(/^(#{1,6}\s)/, '\\$1')
    .replace(/^([-+]\s)/, '\\$1')
    .replace(/^(\d+)([.)]\s)/, '$1\\$2')
    .replace(/^(>)/, '\\$1');
}

const ORDERED = /^\(?(\d{1,3}|[a-z]|[ivxlc]{1,5})[.)]\s+/iu;
const BULLETED = /^[•·▪◦‣●○■□➢►–—*-]\s+/u;

function listItemMarkdown(text: string): string {
  const ordered = ORDERED.exec(text);
  if (ordered && /^\d+$/.test(ordered[1] ?? '')) return `${ordered[1]}. ${escapeMarkdown(text.slice(ordered[0].length))}`;
  const bullet = BULLETED.exec(text);
  return `- ${escapeMarkdown(bullet ? text.slice(bullet[0].length) : text)}`;
}

export function renderMarkdown(blocks: readonly Block[]): string {
  const parts: string[] = [];
  blocks.forEach((block, i) => {
    const text = joinLines(block.lines.map((l) => l.text));
    if (!text) return;
    if (block.kind === 'heading') parts.push(`${'#'.repeat(block.level ?? 2)} ${escapeMarkdown(text)}`);
    else if (block.kind === 'list_item') {
      // Consecutive items form one list: no blank line between them.
      const md = listItemMarkdown(text);
      if (blocks[i - 1]?.kind === 'list_item' && parts.length > 0) parts[parts.length - 1] += `\n${md}`;
      else parts.push(md);
    } else parts.push(escapeMarkdown(text));
  });
  return parts.join('\n\n');
}

/** Word-weighted mean confidence, 0 for a page without words. */
export function meanConfidence(blocks: readonly Block[]): number {
  let sum = 0;
  let n = 0;
  for (const b of blocks) for (const l of b.lines) for (const w of l.words) {
    sum += w.confidence;
    n++;
  }
  return n === 0 ? 0 : round4(sum / n);
}
