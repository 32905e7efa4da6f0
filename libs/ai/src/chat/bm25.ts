/** Words that carry no meaning for retrieval (English; other languages rank fine without a list). */
const STOPWORDS = new Set(
  'a an and are as at be by do does for from has have how i in is it its me my of on or our so than that the their them then there these they this to was we were what when where which who why will with you your'.split(
    ' ',
  ),
);

/** Lower-case words and numbers; each Han/kana character is a token (those scripts use no spaces). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu)) {
    if (!STOPWORDS.has(m[0])) out.push(m[0]);
  }
  return out;
}

/** Okapi BM25 over a fixed set of documents (k1 = 1.2, b = 0.75, the usual values). */
export class Bm25 {
  private readonly tf: Array<Map<string, number>>;
  private readonly df = new Map<string, number>();
  private readonly lengths: number[];
  private readonly avgLength: number;

  constructor(
    docs: readonly string[][],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.tf = docs.map((tokens) => {
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return counts;
    });
    this.lengths = docs.map((d) => d.length);
    this.avgLength = this.lengths.reduce((s, n) => s + n, 0) / Math.max(1, docs.length) || 1;
  }

  /** Inverse document frequency, never negative (the BM25+ style floor). */
  idf(term: string): number {
    const n = this.tf.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  score(query: readonly string[], doc: number): number {
    const tf = this.tf[doc];
    if (!tf) return 0;
    const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / this.avgLength);
    let score = 0;
    for (const term of new Set(query)) {
      const f = tf.get(term) ?? 0;
      if (f > 0) score += this.idf(term) * ((f * (this.k1 + 1)) / (f + norm));
    }
    return score;
  }

  /** Indexes of the best documents with a positive score, best first. */
  top(query: readonly string[], k: number): Array<{ doc: number; score: number }> {
    return this.tf
      .map((_, doc) => ({ doc, score: this.score(query, doc) }))
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score || a.doc - b.doc)
      .slice(0, k);
  }
}
