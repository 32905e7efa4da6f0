import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawWord } from '@ocr/layout';
import { buildBlocks } from '@ocr/layout';
import { darkFills, insertFillWords, pageThumbnail, placeFillWords, readOn } from '@ocr/ocr';
import { fixturePath } from '../support/corpus';
import { declarationExcerpt, renderPage } from '../support/rendered-page';

async function fillsOf(path: string) {
  const { width = 0, height = 0 } = await sharp(path).metadata();
  return darkFills(await pageThumbnail(path), width, height);
}

function word(text: string, bbox: RawWord['bbox'], block: number, line: number): RawWord {
  return { text, bbox, confidence: 0.9, block, par: 1, line };
}

describe('light text on dark fills', () => {
  it("finds the three white-on-black header boxes of an ICDAR table, each cut within its box, and nothing on the table's rules or its bold text", async () => {
    // The page at 150 dpi: the header boxes span x 310-490, 510-832 and 855-1133 over rows 463-490,
    // hanging from the table's top rule.
    const fills = await fillsOf(fixturePath('tables/icdar2013_us-032.png'));
    assert.equal(fills.length, 3, JSON.stringify(fills));
    const lefts = [310, 510, 855];
    fills.forEach(([x0, y0, x1, y1], i) => {
      assert.ok(y0 >= 460 && y1 <= 492 && y1 - y0 >= 15, `fill ${i} rows ${y0}-${y1}`);
      assert.ok(x0 >= lefts[i]! && x0 <= lefts[i]! + 20 && x1 - x0 >= 150, `fill ${i} columns ${x0}-${x1}`);
    });
  });

  it('finds none on pages of black text, clean or scanned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fills-'));
    for (const degraded of [false, true]) {
      const path = join(dir, `page-${degraded}.png`);
      writeFileSync(path, await renderPage(declarationExcerpt('eng', 900), 'DejaVu Serif', { degraded, rotate: 0.8, noise: false }));
      assert.deepEqual(await fillsOf(path), []);
    }
    assert.deepEqual(await fillsOf(fixturePath('printed/tess_phototest.tif')), []);
  });

  it("places a fill's words before the first line below it in its columns, splitting that line's block, and knows the page's own words on a fill", () => {
    const page = [
      word('Title', [100, 100, 300, 130], 1, 1),
      word('cell', [100, 300, 200, 330], 1, 2),
      word('more', [100, 350, 200, 380], 1, 3),
      word('aside', [900, 320, 1000, 350], 2, 1),
    ];
    const fill: RawWord['bbox'] = [90, 200, 500, 260];
    // The crop's words, read with a white margin of 12 px around the fill.
    const read = placeFillWords([word('Header', [22, 20, 160, 50], 1, 1)], fill, 2);
    assert.deepEqual(read[0]?.bbox, [100, 208, 238, 238]);
    const placed = insertFillWords(page, read, fill);
    assert.deepEqual(
      placed.map((w) => w.text),
      ['Title', 'Header', 'cell', 'more', 'aside'],
    );
    assert.deepEqual(
      buildBlocks(placed).map((b) => b.text),
      ['Title', 'Header', 'cell\nmore', 'aside'],
    );
    // Nothing below it in its columns: at the end.
    assert.deepEqual(
      insertFillWords(page, read, [90, 900, 500, 960]).map((w) => w.text),
      ['Title', 'cell', 'more', 'aside', 'Header'],
    );
    assert.equal(readOn(word('bold', [95, 205, 200, 255], 1, 1), fill), true);
    assert.equal(readOn(word('Title', [100, 100, 300, 130], 1, 1), fill), false);
  });
});
