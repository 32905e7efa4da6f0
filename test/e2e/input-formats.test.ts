import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cer } from '../support/cer';
import { corpusPath } from '../support/corpus';
import { pollUntilFinished, submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An uncompressed 24-bit bottom-up BMP (the common kind), written by hand: sharp cannot write BMP. */
function bmp24(grey: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + stride * height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = grey[(height - 1 - y) * width + x] as number;
      pixels.fill(v, y * stride + x * 3, y * stride + x * 3 + 3);
    }
  }
  return Buffer.concat([header, pixels]);
}

describe('every input format, detected by content', () => {
  let server: TestServer;
  let dir: string;
  let page: Buffer;

  before(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'ocr-formats-'));
    page = await sharp(corpusPath('printed/tess_phototest.tif')).greyscale().png().toBuffer();
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectPhototest(bytes: Buffer, name: string, pages = 1): Promise<Json> {
    const res = await submit(server.baseUrl, { file: { name, bytes }, fields: { language: 'en' } });
    let job = (await res.json()) as Json;
    assert.ok(res.status === 200 || res.status === 202, `${name}: ${res.status} ${JSON.stringify(job)}`);
    if (job.status !== 'done') job = await pollUntilFinished(server.baseUrl, job.uuid);
    assert.equal(job.status, 'done', name);
    assert.equal(job.page_count, pages, name);
    for (const p of job.pages as Json[]) assert.match(p.text, /quick brown dog/, `${name} page ${p.index}`);
    return job;
  }

  it('reads PNG, JPEG, WEBP, GIF, BMP and TIFF whatever their file names say', async () => {
    const { data, info } = await sharp(page).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    await expectPhototest(await sharp(page).jpeg({ quality: 90 }).toBuffer(), 'scan.png');
    await expectPhototest(await sharp(page).webp({ quality: 90 }).toBuffer(), 'scan.pdf');
    await expectPhototest(await sharp(page).gif().toBuffer(), 'scan.gif');
    await expectPhototest(bmp24(data, info.width, info.height), 'scan.bmp');
    await expectPhototest(readFileSync(corpusPath('printed/tess_phototest.tif')), 'no-extension');
  });

  // sharp cannot write multi-frame GIF or WEBP here, so only TIFF frames are exercised.
  it('treats every frame of a TIFF as a page', async () => {
    const { data, info } = await sharp(page).raw().toBuffer({ resolveWithObject: true });
    const roll = Buffer.concat([data, data, data]);
    const raw = { width: info.width, height: info.height * 3, channels: info.channels, pageHeight: info.height };
    await expectPhototest(await sharp(roll, { raw }).tiff().toBuffer(), 'three.tif', 3);
  });

  it('applies EXIF orientation and flattens transparency', async () => {
    const rotated = await sharp(page).rotate(90).jpeg().withMetadata({ orientation: 8 }).toBuffer();
    const job = await expectPhototest(rotated, 'exif.jpg');
    assert.ok(job.pages[0].width > job.pages[0].height, 'EXIF rotation restored the landscape page');
    const transparent = await sharp(page).ensureAlpha().unflatten().png().toBuffer();
    await expectPhototest(transparent, 'alpha.png');
  });

  it('uses a born-digital PDF text layer exactly, with boxes on the page', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('tables/icdar2013_eu-002.pdf') });
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    const expected = execFileSync('pdftotext', ['-enc', 'UTF-8', corpusPath('tables/icdar2013_eu-002.pdf'), '-']).toString();
    // pdftotext's plain mode glues a superscript footnote mark to its word; its box mode does not.
    assert.ok((await cer(job.text, expected)) < 0.01);
    const p = job.pages[0] as Json;
    assert.equal(p.source, 'text-layer');
    assert.equal(p.dpi, 300);
    for (const b of p.blocks as Json[]) assert.ok(b.bbox[2] <= p.width && b.bbox[3] <= p.height);
  });

  it('refuses a password-protected PDF with a clear 400', async () => {
    const locked = join(dir, 'locked.pdf');
    execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', corpusPath('pdf/ocrmypdf_linn.pdf'), locked]);
    const res = await submit(server.baseUrl, { file: locked });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as Json).message, /password/);
    // Encrypted with an owner password only: it opens, so it is read.
    const ownerOnly = join(dir, 'owner-only.pdf');
    execFileSync('qpdf', ['--encrypt', '', 'owner-pw', '256', '--extract=n', '--', corpusPath('pdf/ocrmypdf_linn.pdf'), ownerOnly]);
    const ok = await submit(server.baseUrl, { file: ownerOnly });
    assert.equal(((await ok.json()) as Json).status, 'done');
  });
});
