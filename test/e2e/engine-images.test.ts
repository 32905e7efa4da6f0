import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { jpegDeclaredDensity } from '@ocr/intake';
import { EnginePool, listLanguages, recognizePage, resolveTessdataDir, TesseractNativeEngine } from '@ocr/ocr';
import { cer } from '../support/cer';
import { declarationExcerpt, renderScannedPage } from '../support/rendered-page';
import { excerptLength, RENDERED_LANGUAGES } from '../support/udhr-languages';

/** A JFIF segment (APP0) with the given units and density, then the rest of a JPEG's bytes. */
function withJfif(jpeg: Buffer, units: number, density: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, units, density >> 8, density & 0xff, density >> 8, density & 0xff, 0x00, 0x00]);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}

/**
 * Images made for the engine (grey copies, bands, turned and cut pages) carry the resolution
 * Tesseract reads from the received image, or where it finds none the one guessed from the page's
 * width: not the 72 dpi sharp reports for a JPEG without one.
 */
describe('images made for the engine', () => {
  const tessdata = resolveTessdataDir({ TESSDATA_DIR: '' });
  let dir: string;
  let engine: TesseractNativeEngine;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'engine-images-'));
    engine = new TesseractNativeEngine('tesseract', tessdata, { processes: 2, idleMs: 60_000 });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keep a JPEG's resolution only where Tesseract finds one: a JFIF segment in dots per inch or cm, or one sharp found elsewhere", async () => {
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    // sharp writes no JFIF segment: 72 dpi to sharp, none to Tesseract.
    assert.equal((await sharp(jpeg).metadata()).density, 72);
    assert.equal(jpegDeclaredDensity(jpeg, 72), undefined);
    assert.equal(jpegDeclaredDensity(withJfif(jpeg, 1, 300), 300), 300);
    assert.equal(jpegDeclaredDensity(withJfif(jpeg, 2, 118), 300), 300);
    // A JFIF segment without units is an aspect ratio (a corpus letter's 200:200, which sharp reports as 72).
    assert.equal(jpegDeclaredDensity(withJfif(jpeg, 0, 200), 72), undefined);
    // A density sharp took from EXIF beside a unitless JFIF segment stays (a corpus letter's 300).
    assert.equal(jpegDeclaredDensity(withJfif(jpeg, 0, 300), 300), 300);
  });

  it('read a scanned JPEG that declares no resolution at the one its width suggests (its grey copy read as an empty page at 72 dpi)', async () => {
    const lang = RENDERED_LANGUAGES.find((l) => l.model === 'pan');
    assert.ok(lang);
    const truth = declarationExcerpt(lang.udhr, excerptLength(lang));
    const path = join(dir, 'gurmukhi-scanned.jpg');
    writeFileSync(path, await renderScannedPage(truth, lang.font, lang.rtl));
    // Colour channels: the page is read from a grey copy made for the engine.
    assert.equal((await sharp(path).metadata()).channels, 3);
    const pool = new EnginePool(async () => engine, 1);
    const page = await recognizePage(pool, path, {
      languages: ['pan'],
      dpi: 300,
      dpiFromFile: false,
      timeoutMs: 60_000,
      workDir: dir,
      available: listLanguages(tessdata),
      tessdataDir: tessdata,
      recovery: true,
    });
    const rate = await cer(page.text, truth);
    assert.ok(rate < 0.02, `CER ${(rate * 100).toFixed(1)}% (${page.text.length} characters read)`);
  });
});
