import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeBmpToGrey, readBmpHeader, scanResolution, sniffType, type IntakeLimits } from '@ocr/intake';
import { corpusPath } from '../support/corpus';

function bmp(bits: number, width: number, height: number, pixels: Buffer, palette: Buffer = Buffer.alloc(0), topDown = false): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + palette.length, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(topDown ? -height : height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bits, 28);
  header.writeUInt32LE(palette.length / 4, 46);
  return Buffer.concat([header, palette, pixels]);
}

describe('intake', () => {
  it('sniffs every supported type by its magic bytes, never by name', () => {
    assert.equal(sniffType(readFileSync(corpusPath('printed/tess_phototest.tif'))), 'tiff');
    assert.equal(sniffType(readFileSync(corpusPath('printed/ocrmypdf_linn.png'))), 'png');
    assert.equal(sniffType(readFileSync(corpusPath('printed/ehri_EHRI-BF-19380810_EN_01.jpg'))), 'jpeg');
    assert.equal(sniffType(readFileSync(corpusPath('pdf/ocrmypdf_linn.pdf'))), 'pdf');
    assert.equal(sniffType(Buffer.from('GIF89a....')), 'gif');
    assert.equal(sniffType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffType(Buffer.from('hello world, this is text')), null);
    assert.equal(sniffType(Buffer.from('junk before the header %PDF-1.4')), 'pdf');
  });

  it("rasterises a scanned PDF page at its images' own resolution, between 200 dpi and RASTER_DPI", async () => {
    const limits: IntakeLimits = { maxPages: 10, maxPixelsPerPage: 100_000_000, dpi: 300, timeoutMs: 30_000 };
    // 113 ppi scans: rendering them at 300 dpi only interpolated, slower and no better.
    assert.equal(await scanResolution(corpusPath('pdf/ehri_EHRI-BF-19380509b_EN.pdf'), 0, limits), 200);
    assert.equal(await scanResolution(corpusPath('pdf/ocrmypdf_linn.pdf'), 0, limits), 300);
    assert.equal(await scanResolution(corpusPath('pdf/ocrmypdf_linn.pdf'), 0, { ...limits, dpi: 250 }), 250);
  });

  it('decodes 24-bit bottom-up and 8-bit palette BMPs to grey', () => {
    // 2x2, rows padded to 4 bytes; bottom-up: the first stored row is the bottom one.
    const pixels24 = Buffer.from([0, 0, 0, 255, 255, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0]);
    const grey = decodeBmpToGrey(bmp(24, 2, 2, pixels24));
    assert.deepEqual([...grey], [255, 255, 0, 255]);
    const palette = Buffer.from([0, 0, 0, 0, 255, 255, 255, 0]);
    const pixels8 = Buffer.from([1, 0, 0, 0, 0, 1, 0, 0]);
    assert.deepEqual([...decodeBmpToGrey(bmp(8, 2, 2, pixels8, palette, true))], [255, 0, 0, 255]);
  });

  it('rejects compressed, truncated and nonsense BMPs with a named error', () => {
    const header = bmp(24, 10, 10, Buffer.alloc(0));
    assert.throws(() => decodeBmpToGrey(header), /truncated/);
    const rle = Buffer.from(header);
    rle.writeUInt32LE(1, 30);
    assert.throws(() => readBmpHeader(rle), /not supported/);
    assert.throws(() => readBmpHeader(Buffer.from('BM')), /not a BMP/);
  });
});
