import type { RawWord } from '@ocr/layout';
import type { RecognizedPage } from './engine';

/**
 * Tesseract's TSV output: level page block par line word left top width height conf text.
 * Level 1 gives the page size; level 5 rows are words (conf -1 rows are structure only).
 */
export function parseTsv(tsv: string): RecognizedPage {
  let width = 0;
  let height = 0;
  const words: RawWord[] = [];
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] === 'level') continue;
    const [level, , block, par, line, , left, top, w, h, conf] = cols.slice(0, 11).map(Number) as number[];
    if (level === 1) {
      width = w ?? 0;
      height = h ?? 0;
      continue;
    }
    const text = cols.slice(11).join('\t').trim();
    if (level !== 5 || !text || (conf ?? -1) < 0) continue;
    words.push({
      text,
      bbox: [left!, top!, left! + w!, top! + h!],
      confidence: Math.min(1, Math.max(0, conf! / 100)),
      block: block!,
      par: par!,
      line: line!,
    });
  }
  return { width, height, words };
}

/** `tesseract --psm 0` output: 'Rotate: 90', 'Orientation confidence: 9.6', 'Script: Latin', ... */
export function parseOsd(text: string): { rotate: number; orientationConfidence: number; script: string; scriptConfidence: number } {
  const num = (key: string) => Number(new RegExp(`${key}:\\s*([-\\d.]+)`).exec(text)?.[1] ?? 0);
  return {
    rotate: num('Rotate'),
    orientationConfidence: num('Orientation confidence'),
    script: /Script:\s*(\S+)/.exec(text)?.[1] ?? 'Latin',
    scriptConfidence: num('Script confidence'),
  };
}

/**
 * Marks each word with whether Tesseract's plain text had whitespace before it. The TSV splits
 * Korean words into syllables and Thai into characters, while the text output keeps the page's
 * own spacing. Words are matched to the text character by character; if they ever disagree,
 * nothing is marked and layout falls back to its script rules.
 */
export function markSpacing(words: readonly RawWord[], text: string): RawWord[] {
  const chars = [...text];
  let pos = 0;
  const marks: boolean[] = [];
  for (const word of words) {
    let space = pos === 0;
    while (pos < chars.length && /\s/u.test(chars[pos] as string)) {
      space = true;
      pos++;
    }
    for (const ch of word.text) {
      if (chars[pos] !== ch) return [...words];
      pos++;
    }
    marks.push(space);
  }
  return words.map((w, i) => ({ ...w, spaceBefore: marks[i] as boolean }));
}
