import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawWord } from '@ocr/layout';
import { buildBlocks } from '@ocr/layout';
import { columnsAcross, EnginePool, findSplitRow, joinParts, type OcrEngine, type RecognizedPage, type Thumbnail } from '@ocr/ocr';

/** A white thumbnail with dark text rows: each row [top, bottom, left, right] in thumbnail pixels. */
function thumbnail(width: number, height: number, rows: Array<[number, number, number, number]>): Thumbnail {
  const data = new Uint8Array(width * height).fill(250);
  for (const [top, bottom, left, right] of rows) for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) data[y * width + x] = 20;
  return { data, width, height, chroma: 0 };
}

/** Text lines 6 rows high every 10 rows from `from` to `to`, between x = left and right. */
function lines(from: number, to: number, left: number, right: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let y = from; y + 6 <= to; y += 10) out.push([y, y + 6, left, right]);
  return out;
}

describe('reading a page in two parts', () => {
  it('cuts a single-column page at the paragraph break nearest half its ink', () => {
    // Two paragraphs, 12 white rows between them at row 200, line gaps of 4 rows elsewhere.
    const t = thumbnail(600, 400, [...lines(20, 200, 50, 550), ...lines(212, 390, 50, 550)]);
    const cut = findSplitRow(t, 4000);
    assert.ok(cut !== null);
    assert.ok(Math.abs(cut - 2050) <= 60, `cut at ${cut}`);
  });

  it('does not cut through columns, but cuts where columns end', () => {
    const twoColumns = [...lines(20, 390, 50, 280), ...lines(20, 390, 320, 550)];
    assert.equal(findSplitRow(thumbnail(600, 400, twoColumns), 4000), null);
    // Full-width text above, two columns below: the cut falls at their border.
    const mixed = [...lines(20, 190, 50, 550), ...lines(206, 390, 50, 280), ...lines(206, 390, 320, 550)];
    const cut = findSplitRow(thumbnail(600, 400, mixed), 4000);
    assert.ok(cut !== null && Math.abs(cut - 1980) <= 60, `cut at ${cut}`);
    // A band cut out of the page (language=auto) is read apart from it only where no columns cross its edges.
    assert.equal(columnsAcross(thumbnail(600, 400, twoColumns), [1180], 4000), true);
    assert.equal(columnsAcross(thumbnail(600, 400, mixed), [1180], 4000), false);
    assert.equal(columnsAcross(thumbnail(600, 400, mixed), [3000], 4000), true);
    assert.equal(columnsAcross(thumbnail(600, 400, mixed), [1180, 3000], 4000), true);
  });

  it('leaves pages without text, or with a cut only near an edge, whole', () => {
    assert.equal(findSplitRow(thumbnail(600, 400, []), 4000), null);
    assert.equal(findSplitRow(thumbnail(600, 400, lines(20, 60, 50, 550).concat([[70, 395, 50, 550]])), 4000), null);
  });

  it('joins the parts: words moved below the cut, blocks numbered on, a paragraph cut between two lines made whole', () => {
    const word = (text: string, y: number, block: number, par: number, line: number): RawWord => ({ text, bbox: [100, y, 200, y + 30], confidence: 0.9, block, par, line });
    const top: RecognizedPage = { width: 1000, height: 500, words: [word('Title', 50, 1, 1, 1), word('first', 400, 2, 1, 1), word('second', 440, 2, 1, 2)] };
    // The cut fell at 475, between "second" (ends at 470) and "third" (starts at 480): one paragraph.
    const bottom: RecognizedPage = { width: 1000, height: 600, words: [word('third', 5, 1, 1, 1), word('Next', 300, 2, 1, 1)] };
    const page = joinParts({ ...top, height: 475 }, bottom, 475);
    assert.equal(page.height, 1075);
    assert.deepEqual(page.words.map((w) => [w.text, w.block, w.par, w.line, w.bbox[1]]), [['Title', 1, 1, 1, 50], ['first', 2, 1, 1, 400], ['second', 2, 1, 2, 440], ['third', 2, 1, 3, 480], ['Next', 4, 1, 1, 775]]);
    assert.deepEqual(buildBlocks(page.words).map((b) => b.text), ['Title', 'first\nsecond\nthird', 'Next']);
    // A paragraph break at the cut stays one.
    const apart = joinParts({ ...top, height: 475 }, { ...bottom, words: [word('Later', 60, 1, 1, 1)] }, 475);
    assert.deepEqual(apart.words.map((w) => [w.text, w.block]).slice(-1), [['Later', 3]]);
  });

  it('lends an idle engine only when no page waits for one or is about to ask', async () => {
    const engine = (name: string): OcrEngine => ({
      name,
      recognize: async () => ({ width: 1, height: 1, words: [] }),
      detectOrientation: async () => ({ rotate: 0, orientationConfidence: 0, script: 'Latin', scriptConfidence: 0 }),
      close: async () => undefined,
    });
    let made = 0;
    const pool = new EnginePool(async () => engine(`e${++made}`), 2);
    await pool.run(async () => {
      assert.equal(pool.idle, true);
      const withdraw = pool.expect();
      // Another page is being rasterised: the free engine is kept for it.
      assert.equal(pool.idle, false);
      assert.equal(pool.tryRun(async () => 'borrowed'), null);
      withdraw();
      withdraw(); // a second withdrawal changes nothing
      assert.equal(pool.idle, true);
      assert.equal(await pool.tryRun(async (e) => e.name), 'e2');
    });
    await pool.close();
  });
});
