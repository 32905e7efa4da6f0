import type { Bm25 } from './bm25';
import { tokenize } from './bm25';
import type { Chunk } from './chunks';
import type { CitationCandidate } from './citations';

/** Sentences of a chunk: split after . ! ? and at line ends (scanned text has many unpunctuated lines). */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

/**
 * The answer without a chat model: the sentences of the retrieved chunks that share the most
 * (rare) words with the question, in document order, each its own citation.
 */
export function extractiveAnswer(
  question: string,
  chunks: readonly Chunk[],
  index: Bm25,
  maxSentences: number,
): { content: string; citations: CitationCandidate[] } {
  const query = new Set(tokenize(question));
  const scored: Array<{ page: number; text: string; score: number; order: number }> = [];
  let order = 0;
  for (const chunk of chunks) {
    for (const s of sentences(chunk.text)) {
      const words = new Set(tokenize(s));
      let score = 0;
      for (const q of query) if (words.has(q)) score += index.idf(q);
      if (score > 0) scored.push({ page: chunk.page, text: s, score, order });
      order++;
    }
  }
  const best = scored
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, maxSentences)
    .sort((a, b) => a.page - b.page || a.order - b.order);
  if (best.length === 0) return { content: 'The document does not seem to say: no passage matches the question.', citations: [] };
  return {
    content: best.map((s) => `${s.text} (p. ${s.page})`).join('\n'),
    citations: best.map((s) => ({ page: s.page, snippet: s.text })),
  };
}
