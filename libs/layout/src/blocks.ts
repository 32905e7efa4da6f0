import { unionBoxes, type Block, type Line, type Word } from '@ocr/domain';
import { mean, round4 } from './stats';

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar,
 * Tibetan): Tesseract still splits them into words, down to single characters, and a space on the
 * page is a phrase break, not a word boundary.
 */
export const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3000-\u303f\uff00-\uffef]/u;

/** The last and first characters, skipping combining marks (a Thai vowel sign has no script of its own). */
function edgeChar(text: string, last: boolean): string {
  const chars = [...text];
  const ordered = last ? chars.reverse() : chars;
  return ordered.find((c) => !/\p{M}/u.test(c)) ?? ordered[0] ?? '';
}

/**
 * A line's text from its words. `spaceBefore[i]` says whether the engine's own text had a space
 * before word i, and is trusted where known: Tesseract splits Korean words into syllables and Thai
 * into characters in its word boxes, while its text keeps the page's spacing. Without it, words of
 * unspaced scripts are joined and every other pair gets one space.
 */
export function joinWords(words: readonly string[], spaceBefore?: readonly (boolean | undefined)[]): string {
  let out = '';
  words.forEach((word, i) => {
    // A combining mark (a Thai vowel sign read as a word of its own) belongs to what precedes it.
    const space = /^\p{M}/u.test(word)
      ? false
      : (spaceBefore?.[i] ?? !(UNSPACED.test(edgeChar(out, true)) && UNSPACED.test(edgeChar(word, false))));
    if (out && space) out += ' ';
    out += word;
  });
  return out;
}

export function makeLine(words: Word[], spaceBefore?: readonly (boolean | undefined)[]): Line {
  return {
    text: joinWords(words.map((w) => w.text), spaceBefore),
    bbox: unionBoxes(words.map((w) => w.bbox)),
    confidence: round4(mean(words.map((w) => w.confidence))),
    words,
  };
}

export function makeBlock(lines: Line[]): Block {
  const words = lines.flatMap((l) => l.words);
  return {
    text: lines.map((l) => l.text).join('\n'),
    bbox: unionBoxes(lines.map((l) => l.bbox)),
    confidence: round4(mean(words.map((w) => w.confidence))),
    kind: 'paragraph',
    lines,
  };
}

