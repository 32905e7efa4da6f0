import { unionBoxes, type BBox, type Block, type Citation } from '@ocr/domain';

/** What a citation is checked against: one page's text and the words with their boxes. */
export interface CitablePage {
  /** 1-based. */
  page: number;
  text: string;
  blocks: readonly Block[];
}

export interface CitationCandidate {
  page: number;
  snippet: string;
}

/** Longest snippet kept; a model quoting a whole page is cut to its start. */
export const MAX_SNIPPET_CHARS = 300;

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Quotes models like to add around a snippet, and ellipses for the parts they left out. */
function tidy(snippet: string): string {
  return collapse(snippet)
    .replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '')
    .replace(/^(\.\.\.|…)\s*|\s*(\.\.\.|…)$/g, '')
    .trim();
}

/**
 * Where the snippet's words are on the page: the line texts are joined as in the page text, each
 * word found in its line, and the words overlapping the snippet give the box.
 */
export function snippetBox(snippet: string, blocks: readonly Block[]): BBox | null {
  let joined = '';
  const spans: Array<{ start: number; end: number; bbox: BBox }> = [];
  for (const block of blocks) {
    for (const line of block.lines) {
      const text = collapse(line.text);
      if (!text) continue;
      if (joined) joined += ' ';
      const lineStart = joined.length;
      joined += text;
      let cursor = 0;
      for (const word of line.words) {
        const at = text.indexOf(word.text, cursor);
        if (at < 0) continue;
        spans.push({ start: lineStart + at, end: lineStart + at + word.text.length, bbox: word.bbox });
        cursor = at + word.text.length;
      }
    }
  }
  const needle = collapse(snippet);
  let at = joined.indexOf(needle);
  if (at < 0) at = joined.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return null;
  const end = at + needle.length;
  const boxes = spans.filter((s) => s.end > at && s.start < end).map((s) => s.bbox);
  return boxes.length ? unionBoxes(boxes) : null;
}

/**
 * Keeps only citations that check out: an existing page whose text contains the snippet verbatim
 * (whitespace aside). Each kept citation gets the snippet's box; duplicates are merged.
 */
export function verifyCitations(
  candidates: readonly CitationCandidate[],
  pages: readonly CitablePage[],
): { citations: Citation[]; dropped: CitationCandidate[] } {
  const citations: Citation[] = [];
  const dropped: CitationCandidate[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const page = pages.find((p) => p.page === c.page);
    let snippet = tidy(c.snippet);
    if (snippet.length > MAX_SNIPPET_CHARS) snippet = snippet.slice(0, MAX_SNIPPET_CHARS).replace(/\s+\S*$/, '');
    if (!page || snippet.length < 2 || !collapse(page.text).includes(snippet)) {
      dropped.push(c);
      continue;
    }
    const key = `${c.page}\u0000${snippet}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push({ page: c.page, snippet, bbox: snippetBox(snippet, page.blocks) });
  }
  return { citations, dropped };
}
