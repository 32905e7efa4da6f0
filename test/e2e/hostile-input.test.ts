import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../support/corpus';
import { pngDeclaring } from '../support/hostile-files';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Either a 4xx with a JSON message, or a job that failed with a reason: never a 5xx or a crash. */
async function assertRefusedCleanly(res: Response, name: string): Promise<void> {
  const body = (await res.json()) as Json;
  if (res.status >= 400 && res.status < 500) {
    assert.equal(typeof body.message, 'string', name);
    return;
  }
  assert.equal(res.status, 200, `${name}: ${JSON.stringify(body).slice(0, 300)}`);
  assert.equal(body.status, 'failed', name);
  assert.ok(typeof body.error === 'string' && body.error.length > 0, name);
}

describe('hostile and broken input', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ MAX_UPLOAD_BYTES: String(3 * 1024 * 1024), MAX_PAGES_PER_FILE: '6', MAX_PIXELS_PER_PAGE: '40000000' });
  });
  after(async () => server.stop());

  it('refuses a file over MAX_UPLOAD_BYTES with 400', async () => {
    const res = await submit(server.baseUrl, { file: { name: 'big.png', bytes: Buffer.alloc(3 * 1024 * 1024 + 10, 1) } });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Json;
    assert.equal(body.error, 'file_too_large');
    assert.match(body.message, /MAX_UPLOAD_BYTES/);
  });

  it('refuses more pages than MAX_PAGES_PER_FILE before any work', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('pdf/icdar2013_us-017.pdf') });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Json;
    assert.equal(body.error, 'too_many_pages');
  });

  it('refuses a decompression bomb from its header', async () => {
    const res = await submit(server.baseUrl, { file: { name: 'bomb.png', bytes: pngDeclaring(100_000, 100_000) } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as Json).error, 'image_too_large');
  });

  it('handles truncated, corrupt and disguised files without a 5xx', async () => {
    const png = readFileSync(corpusPath('printed/ocrmypdf_linn.png'));
    const pdf = readFileSync(corpusPath('pdf/ocrmypdf_linn.pdf'));
    const jpg = readFileSync(corpusPath('printed/ehri_EHRI-BF-19380810_EN_01.jpg'));
    const cases: Array<[string, Buffer]> = [
      ['truncated png', png.subarray(0, Math.floor(png.length / 3))],
      ['truncated pdf', pdf.subarray(0, Math.floor(pdf.length / 2))],
      ['truncated jpeg', jpg.subarray(0, 2000)],
      ['pdf magic then garbage', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41)])],
      ['png magic then garbage', Buffer.concat([png.subarray(0, 8), Buffer.alloc(5000, 0x42)])],
      ['tiff magic then garbage', Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(100)])],
      ['bmp header only', Buffer.from('BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00', 'latin1')],
      ['zero-size png', pngDeclaring(0, 0)],
    ];
    for (const [name, bytes] of cases) {
      const res = await submit(server.baseUrl, { file: { name: 'x.bin', bytes } });
      await assertRefusedCleanly(res, name);
    }
    assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  });
});
