import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseBboxLayout, readTextLayers, TextLayerStreams, type IntakeLimits } from '@ocr/intake';
import { pdfWithPages } from '../support/invoice-pdf';

/**
 * A document's text layer comes out of one pdftotext, page by page, to workers that ask for pages
 * in any order: each gets exactly the page a pdftotext of that page alone gives.
 */

const LIMITS: IntakeLimits = { maxPages: 500, maxPixelsPerPage: 100_000_000, dpi: 300, timeoutMs: 60_000 };
const PAGES = 150;

function document(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'text-layer-')), 'doc.pdf');
  writeFileSync(path, pdfWithPages(Array.from({ length: PAGES }, (_, i) => [`Page ${i + 1} opens here`, `and page ${i + 1} & more <text>`])));
  return path;
}

const textOf = (blocks: { text: string }[] | undefined) => (blocks ?? []).map((b) => b.text).join('\n');

describe('text layer streams', () => {
  const path = document();

  it('gives every page, taken by workers in any order, as pdftotext reads it alone', async () => {
    const streams = new TextLayerStreams();
    // Two workers in order, one page asked early (ahead), one asked twice (a retry).
    const order = [0, 1, 5, 2, 3, 4, ...Array.from({ length: PAGES - 6 }, (_, i) => i + 6), 3];
    const got = await Promise.all(order.map((index) => streams.page('job-1', path, index, PAGES, LIMITS)));
    for (const [i, index] of order.entries()) {
      // Every tenth page against a pdftotext of it alone, the rest by their text.
      if (index % 10 === 0 || index < 6) assert.deepEqual(got[i]?.layer, (await readTextLayers(path, index, index, LIMITS))?.[0], `page ${index}`);
      assert.equal(textOf(got[i]?.layer?.blocks), `Page ${index + 1} opens here\nand page ${index + 1} & more <text>`);
      assert.ok(Number.isInteger(got[i]?.extractMs) && (got[i]?.extractMs ?? -1) >= 0);
      assert.equal(await got[i]?.hasImages(), false);
    }
  });

  it('starts a resumed job at its first open page and reads a page far behind on its own', async () => {
    const streams = new TextLayerStreams();
    const late = await streams.page('job-2', path, 120, PAGES, LIMITS);
    assert.equal(textOf(late.layer?.blocks).split('\n')[0], 'Page 121 opens here');
    const early = await streams.page('job-2', path, 3, PAGES, LIMITS);
    assert.equal(textOf(early.layer?.blocks).split('\n')[0], 'Page 4 opens here');
  });

  it('parses several pages of bbox-layout in one pass, in pixels at the dpi', () => {
    const xhtml =
      '<doc><page width="612.000000" height="792.000000"><flow><block xMin="72.0" yMin="60.0" xMax="144.0" yMax="72.0">' +
      '<line xMin="72.0" yMin="60.0" xMax="144.0" yMax="72.0"><word xMin="72.0" yMin="60.0" xMax="100.0" yMax="72.0">A&amp;B</word>' +
      '<word xMin="104.0" yMin="60.0" xMax="144.0" yMax="72.0">two</word></line></block></flow></page>' +
      '<page width="612.000000" height="792.000000"></page></doc>';
    const pages = parseBboxLayout(xhtml, 144);
    assert.equal(pages.length, 2);
    assert.deepEqual([pages[0]?.width, pages[0]?.height], [1224, 1584]);
    assert.equal(pages[0]?.blocks[0]?.text, 'A&B two');
    assert.deepEqual(pages[0]?.blocks[0]?.lines[0]?.words[0]?.bbox, [144, 120, 200, 144]);
    assert.equal(pages[0]?.characters, 6);
    assert.deepEqual(pages[1]?.blocks, []);
  });
});
