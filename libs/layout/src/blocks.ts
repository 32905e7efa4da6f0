import { unionBoxes, type Block, type Line, type Word } from '@ocr/domain';
import { mean, round4 } from './stats';

/** Chinese and Japanese are written without spaces; Tesseract still splits them into words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

export function joinWords(words: readonly string[]): string {
  let out = '';
  for (const word of words) {
    if (out && !(UNSPACED.test(out.slice(-1)) && UNSPACED.test(word.charAt(0)))) out += ' ';
    out += word;
  }
  return out;
}

export function makeLine(words: Word[]): Line {
  return {
    text: joinWords(words.map((w) => w.text)),
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

