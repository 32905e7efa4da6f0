import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cer } from '../support/cer';
import { corpusPath, groundTruth } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

describe('the tesseract.js (wasm) engine behind the same interface', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ OCR_ENGINE: 'wasm', OCR_WORKERS: '1', WASM_RECYCLE_PAGES: '1' });
  });
  after(async () => server.stop());

  it('recognises a page with the same language data, and recycles its worker', async () => {
    const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as { engine: string };
    assert.equal(health.engine, 'tesseract-wasm');
    for (let i = 0; i < 2; i++) {
      const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'en' } });
      const job = (await res.json()) as { status: string; text: string; pages: Array<{ blocks: Array<{ bbox: number[] }> }> };
      assert.equal(job.status, 'done');
      assert.ok((await cer(job.text, groundTruth('printed/tess_phototest.tif'))) < 0.01);
      assert.ok(job.pages[0]!.blocks.length >= 2);
    }
  });
});
