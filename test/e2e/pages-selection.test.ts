import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A born-digital 7-page PDF: read from its text layer, so the test costs no OCR. */
const PDF = fixturePath('pdf/icdar2013_us-017.pdf');

function pdftotext(path: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', path, '-']).toString();
}

const words = (text: string) => new Set(text.split(/\s+/).filter((w) => /^[A-Za-z]{4,}$/.test(w)));

describe('pages= reads and charges only the selected pages', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startServer({ OCR_WORKERS: '1' });
    dir = mkdtempSync(join(tmpdir(), 'pages-sel-'));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the job of the selected pages, says which original pages they are, and charges them alone', async () => {
    const res = await submit(server.baseUrl, { file: PDF, fields: { pages: '5-6, 2,6' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.page_count, 3);
    assert.deepEqual(job.source_pages, [2, 5, 6]);
    assert.deepEqual(job.pages.map((p: Json) => [p.index, p.source_page]), [[0, 2], [1, 5], [2, 6]]);
    // Each job page holds the text of its original page (most of its words), not of page index+1.
    for (const page of job.pages as Json[]) {
      const expected = words(pdftotext(PDF, page.source_page));
      const got = words(page.text);
      const shared = [...expected].filter((w) => got.has(w)).length;
      assert.ok(shared >= expected.size * 0.8, `page ${page.source_page}: ${shared} of ${expected.size} words`);
    }
    assert.equal(res.headers.get('x-credits-used'), '3');

    const pdf = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=pdf`);
    assert.equal(pdf.status, 200);
    const out = join(dir, 'selected.pdf');
    writeFileSync(out, Buffer.from(await pdf.arrayBuffer()));
    assert.match(execFileSync('pdfinfo', [out]).toString(), /Pages:\s+3\b/);
  });

  it('refuses a malformed or out-of-range selection with a 400 naming pages, before any charge', async () => {
    for (const [pages, pattern] of [
      ['8', /7 pages; 8 is out of range/],
      ['6-9', /out of range/],
      ['3-1', /backwards/],
      ['0', /page numbers and ranges/],
      ['1-3;5', /page numbers and ranges/],
      ['all', /page numbers and ranges/],
    ] as const) {
      const res = await submit(server.baseUrl, { file: PDF, fields: { pages } });
      assert.equal(res.status, 400, pages);
      const body = (await res.json()) as Json;
      assert.equal(body.field, 'pages', pages);
      assert.match(body.message, pattern, pages);
    }
    const account = (await (await fetch(`${server.baseUrl}/api/v1/account/`)).json()) as Json;
    assert.equal(account.allowance.used, 3);
  });

  it('documents pages= in the OpenAPI document with the pattern the server checks', async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as Json;
    const pages = doc.paths['/api/v1/ocr/'].post.requestBody.content['multipart/form-data'].schema.properties.pages;
    assert.ok(new RegExp(pages.pattern as string).test('1-3,5'));
    assert.ok(!new RegExp(pages.pattern as string).test('1-3;5'));
  });
});
