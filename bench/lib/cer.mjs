// Character error rate as the corpus README prescribes: NFC, every whitespace run (form feeds
// included) folded to one space, Levenshtein distance over Unicode code points / truth length.

export function normalizeForCer(text) {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

export function levenshtein(a, b) {
  const s = [...a];
  const t = [...b];
  let prev = new Int32Array(t.length + 1);
  let cur = new Int32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1] + (si === t[j - 1] ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length];
}

export function cer(hypothesis, truth) {
  const gt = normalizeForCer(truth);
  return levenshtein(normalizeForCer(hypothesis), gt) / Math.max(1, [...gt].length);
}
