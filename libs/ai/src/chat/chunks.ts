/** A retrieval unit: consecutive lines of one page's text. */
export interface Chunk {
  /** 1-based, as citations count pages. */
  page: number;
  text: string;
}

/**
 * Cuts each page's text into chunks of about `maxChars` at line ends, so every chunk is a piece of
 * the page text (a quote from it can be checked against the page). A line longer than the limit is
 * a chunk of its own.
 */
export function chunkPages(pages: ReadonlyArray<{ page: number; text: string }>, maxChars: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (const { page, text } of pages) {
    let current: string[] = [];
    let size = 0;
    const flush = () => {
      const joined = current.join('\n').trim();
      if (joined) chunks.push({ page, text: joined });
      current = [];
      size = 0;
    };
    for (const line of text.split('\n')) {
      if (size > 0 && size + line.length + 1 > maxChars) flush();
      current.push(line);
      size += line.length + 1;
    }
    flush();
  }
  return chunks;
}
