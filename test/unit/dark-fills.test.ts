import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawWord } from '@ocr/layout';
import { buildBlocks } from '@ocr/layout';
import { darkFillCovers, darkFills, findTextLines, insertFillWords, latinUnlikely, pageThumbnail, placeFillWords, readOn, surveyThumbnail, withoutDarkFills, type Thumbnail } from '@ocr/ocr';
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

  it('tells a fill holding light letters from a bare bar and from bold black letters closed into a blob', () => {
    // A 600 x 200 thumbnail: paper 250, ink 20.
    const t: Thumbnail = { data: new Uint8Array(600 * 200).fill(250), width: 600, height: 200, chroma: 0 };
    const paint = (x0: number, y0: number, x1: number, y1: number, v: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) t.data[y * 600 + x] = v;
    };
    // A box 100 x 16 with light letters 8 px high, 3 px apart, 4 px in from its top and bottom.
    paint(50, 20, 150, 36, 20);
    for (let x = 60; x < 140; x += 7) paint(x, 24, x + 4, 32, 250);
    // A bare black bar of the same size: nothing to read in it.
    paint(50, 80, 150, 96, 20);
    // Bold black letters 16 px high, 4 px wide, 2 px apart, each with a bar across it.
    for (let x = 50; x < 150; x += 6) paint(x, 140, x + 4, 156, 20);
    for (let x = 50; x < 150; x += 12) paint(x, 146, x + 10, 149, 20);
    // The fill is cut two pixels within its edges.
    assert.deepEqual(darkFills(t, 600, 200), [[52, 22, 148, 34]]);
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

  it("leaves a row of header boxes out of the page's lines and their shapes: a small table under them looked square, not Latin", async () => {
    // Three rows of a table under four blue header boxes, 1900 x 700 px.
    const cell = (x: number, y: number, text: string) => `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="36">${text}</text>`;
    const header = ['Name', 'Party', 'Province', 'Vote'].map((label, i) => `<rect x="${100 + i * 420}" y="200" width="400" height="80" fill="#3a6fc4"/><text x="${120 + i * 420}" y="255" font-family="DejaVu Sans" font-size="40" font-weight="bold" fill="white">${label}</text>`);
    const rows = ['Alice Smith', 'Bob Jones', 'Carol White'].map((name, r) => [name, 'Liberal', 'Ontario', 'Yea'].map((text, c) => cell(120 + c * 420, 360 + r * 70, text)).join(''));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1900" height="700"><rect width="100%" height="100%" fill="white"/>${header.join('')}${rows.join('')}</svg>`;
    const page = join(mkdtempSync(join(tmpdir(), 'fills-')), 'table.png');
    await sharp(Buffer.from(svg)).png().toFile(page);
    const thumbnail = await pageThumbnail(page);
    const covers = darkFillCovers(thumbnail, 1900, 700);
    assert.equal(covers.length, 4, JSON.stringify(covers));
    // Each cover takes in its box's edges, which the cut for reading stays within.
    for (const [i, [x0, y0, x1, y1]] of covers.entries()) assert.ok(x0 <= 100 + i * 420 && x1 >= 500 + i * 420 && y0 <= 200 && y1 >= 280, JSON.stringify(covers[i]));
    const lines = await findTextLines(page, { boxes: darkFillCovers(thumbnail, thumbnail.width, thumbnail.height), width: thumbnail.width, height: thumbnail.height });
    assert.ok(lines.lines.length > 0 && lines.lines.every(([top, bottom]) => top >= 280 || bottom <= 200), JSON.stringify(lines.lines));
    // Rows through the boxes are neither lines nor blank: no band is cut through them.
    assert.ok(lines.gaps.every(([top, bottom]) => bottom <= 200 || top >= 280), JSON.stringify(lines.gaps));
    const raw = surveyThumbnail(thumbnail);
    const surveyed = surveyThumbnail(withoutDarkFills(thumbnail));
    assert.equal(surveyed.lines, raw.lines - 1);
    assert.equal(latinUnlikely(raw), true, `with the boxes: cores ${raw.coreShare}`);
    assert.equal(latinUnlikely(surveyed), false, `without: cores ${surveyed.coreShare}`);
    // A page without fills is its own thumbnail.
    const plain = await pageThumbnail(fixturePath('printed/tess_phototest.tif'));
    assert.equal(withoutDarkFills(plain), plain);
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
    // Signs read at no confidence across the fill's edge and the paper around it are the fill's.
    const edge = { ...word('DP', [400, 150, 560, 300], 1, 1), confidence: 0 };
    assert.equal(readOn(edge, fill), true);
    assert.equal(readOn({ ...edge, confidence: 0.5 }, fill), false);
    assert.equal(readOn(edge, [600, 150, 700, 300]), false);
  });
});
