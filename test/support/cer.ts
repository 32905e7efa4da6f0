/** Character error rate after the corpus's normalisation: NFC, whitespace runs (and form feeds) to one space. */
export function normalizeForCer(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev = new Int32Array(t.length + 1).map((_, j) => j);
  let cur = new Int32Array(t.length + 1);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length] as number;
}

export function cer(hypothesis: string, truth: string): number {
  const gt = normalizeForCer(truth);
  return levenshtein(normalizeForCer(hypothesis), gt) / Math.max(1, [...gt].length);
}
