import { unionBoxes, type Block, type Line, type Word } from '@ocr/domain';
import { mean, round4 } from './stats';

export function makeLine(words: Word[]): Line {
  return {
    text: words.map((w) => w.text).join(' '),
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

