import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawWord } from '@ocr/layout';
import { MAX_STACKED_WORDS, SECOND_SCRIPTS, unsureWords, wordsOfScript, type WordStack } from '@ocr/ocr';

function word(text: string, confidence: number, top = 0, height = 30): RawWord {
  return { text, bbox: [10, top, 200, top + height], confidence, block: 1, par: 1, line: 1 };
}

const greek = SECOND_SCRIPTS['Latin']?.find((s) => s.script === 'Greek');
/** A stack of rows 50 pixels high under an 8-pixel margin: row i's words sit at 8 + 50 i. */
const stack: WordStack = { path: 'stack.tif', rowHeight: 50, top: 8 };
const inRow = (text: string, confidence: number, row: number) => word(text, confidence, stack.top + row * stack.rowHeight + 10);

describe('words of a second script on a page read in one language', () => {
  it("stacks a page's unsure words read mostly in lowercase letters and without figures, least sure first, at most MAX_STACKED_WORDS", () => {
    const words = [word('occasional', 0.95), word('ddoAecyia', 0.57), word('eu', 0.1), word('émurdpodos,', 0.04), word('bvTos', 0.3), word('MWST-BETRAG', 0.2), word('UST-ID', 0.2), word('Stk3x', 0.1)];
    assert.deepEqual(
      unsureWords(words).map((w) => w.text),
      ['émurdpodos,', 'bvTos', 'ddoAecyia'],
    );
    const many = Array.from({ length: 40 }, (_, i) => word(`word${String.fromCharCode(97 + (i % 26))}`, i / 100));
    assert.equal(unsureWords(many).length, MAX_STACKED_WORDS);
  });

  it("takes a stacked word for Greek where Greek's model reads it surely in lowercase Greek letters, far more surely than the page's model", () => {
    assert.ok(greek);
    const stacked = [word('ddoAecyia', 0.57), word('émurdpodos,', 0.04), word('KINNEY', 0.55), word('Zgyov', 0.7)];
    const read = [
      inRow('ἀδολεσχία', 0.92, 0),
      // A second word in the same row (the crop caught a line above's descenders) does not hide the first.
      inRow('πῇ', 0.28, 1),
      inRow('ἐπιπάροδος,', 0.92, 1),
      // Capitals share Latin's shapes: a name in capitals tells nothing.
      inRow('ΚΙΝΝΕΥ', 0.9, 2),
      // Read surely, but not far more surely than the page's model read it.
      inRow('ἔργον', 0.92, 3),
    ];
    assert.deepEqual(
      wordsOfScript(read, stacked, stack, greek).map((w) => w.text),
      ['ddoAecyia', 'émurdpodos,'],
    );
  });

  it('takes no stacked word for Greek that its model reads unsurely, or mostly in other letters', () => {
    assert.ok(greek);
    const stacked = [word('OBITB', 0.2), word('murdpodos', 0.1)];
    const read = [inRow('ὅβιτρ', 0.15, 0), inRow('ἐπιmurdpodos', 0.85, 1)];
    assert.deepEqual(wordsOfScript(read, stacked, stack, greek), []);
  });
});
