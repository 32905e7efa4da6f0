import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exporterFor, type ExportContext } from '@ocr/export';
import type { JobView, PageView } from '@ocr/jobs';
import { corpusPath } from '../support/corpus';
import { pollUntilFinished, submit } from '../support/http';
import { pdfWithPages } from '../support/invoice-pdf';
import { pdfPageCount, pdfPageText, squash, tempFile } from '../support/poppler';
import { startServer, type TestServer } from '../support/server';

/**
 * A long born-digital document end to end: every page carries its stage timings, every format
 * downloads as a stream and holds every page, and the page-by-page exports are byte for byte what
 * the whole-document renderers make of the same job.
 */

const PAGES = 200;

function pageLines(page: number): string[] {
  return Array.from({ length: 8 }, (_, line) => `Page ${page} line ${line + 1}: quarterly figures for region ${(page * 7 + line) % 13} remain steady`);
}

const isMs = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

// txt, md, json, hOCR and ALTO read nothing from the context.
const CONTEXT = { inputKind: 'pdf', source: async () => null, scratchDir: '/tmp', options: {} } as unknown as ExportContext;

describe('long documents', () => {
  let server: TestServer;
  let job: JobView;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '2', METERING: 'false', ANON_MAX_PAGES_PER_FILE: String(PAGES) });
    const pdf = pdfWithPages(Array.from({ length: PAGES }, (_, i) => pageLines(i + 1)));
    const res = await submit(server.baseUrl, { file: { name: 'report.pdf', bytes: pdf } });
    assert.equal(res.status, 202);
    const pending = (await res.json()) as JobView;
    job = (await pollUntilFinished(server.baseUrl, pending.uuid)) as unknown as JobView;
  });

  after(async () => {
    await server?.stop();
  });

  it('reads every page from the text layer and gives each its stage timings', () => {
    assert.equal(job.status, 'done');
    assert.equal(job.pages.length, PAGES);
    for (const page of job.pages) {
      assert.equal(page.source, 'text-layer');
      assert.match(page.text, new RegExp(`^Page ${page.index + 1} line 1:`));
      const t = page.timings;
      assert.ok(t, `page ${page.index} has timings`);
      for (const stage of ['extract_ms', 'layout_ms', 'tables_ms', 'store_ms'] as const) assert.ok(isMs(t[stage]), `page ${page.index} ${stage}: ${String(t[stage])}`);
      // No rasterising and no recognition for a text layer.
      assert.equal(t.rasterise_ms, undefined);
      assert.equal(t.recognition_ms, undefined);
      // Layout and tables run inside the page's processing time.
      assert.ok((t.layout_ms ?? 0) + (t.tables_ms ?? 0) <= (page.engine_ms ?? 0) + 2, `page ${page.index}: ${JSON.stringify(t)} vs ${page.engine_ms}`);
    }
  });

  it('times each recognition pass of a scanned page', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'eng' } });
    assert.equal(res.status, 200);
    const page = ((await res.json()) as JobView).pages[0] as PageView;
    const t = page.timings;
    assert.ok(t);
    for (const stage of ['rasterise_ms', 'engine_wait_ms', 'layout_ms', 'tables_ms', 'store_ms'] as const) assert.ok(isMs(t[stage]), `${stage}: ${String(t[stage])}`);
    assert.equal(t.extract_ms, undefined);
    assert.ok(Array.isArray(t.recognition_ms));
    assert.equal(t.recognition_ms.length, page.recognition_passes);
    assert.ok(t.recognition_ms.every(isMs));
    // The passes, the wait and the layout all happen within the page's processing time.
    const inside = t.recognition_ms.reduce((a, b) => a + b, 0) + (t.engine_wait_ms ?? 0) + (t.orientation_ms ?? 0) + t.layout_ms;
    assert.ok(inside <= (page.engine_ms ?? 0) + 5, `${JSON.stringify(t)} vs ${page.engine_ms}`);
  });

  // What shows that the last page is in the file.
  const lastPage: Record<string, (body: string) => boolean> = {
    txt: (b) => b.split('\f').length === PAGES && b.includes(`Page ${PAGES} line 8:`),
    md: (b) => b.includes(`<!-- page ${PAGES} -->`) && b.includes(`Page ${PAGES} line 8:`),
    json: (b) => (JSON.parse(b) as JobView).pages.length === PAGES,
    hocr: (b) => b.split('class="ocr_page"').length === PAGES + 1 && b.includes(`id="page_${PAGES}"`),
    alto: (b) => b.split('<Page ').length === PAGES + 1 && b.includes(`ID="page_${PAGES}"`),
  };

  for (const format of ['txt', 'md', 'json', 'hocr', 'alto']) {
    it(`streams ${format} page by page, byte for byte what the whole-document renderer makes`, async () => {
      const res = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=${format}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      const body = await res.text();
      const expected = (await exporterFor(format).render(job, CONTEXT)).toString('utf8');
      assert.equal(body.length, expected.length);
      assert.ok(body === expected, `${format} differs from render()`);
      assert.ok(lastPage[format]?.(body), `${format} holds every page`);
    });
  }

  it('streams the docx and the searchable PDF of every page', async () => {
    const docx = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=docx`);
    assert.equal(docx.status, 200);
    assert.equal(docx.headers.get('transfer-encoding'), 'chunked');
    const zip = Buffer.from(await docx.arrayBuffer());
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');

    const pdf = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('transfer-encoding'), 'chunked');
    const path = tempFile('long.pdf', Buffer.from(await pdf.arrayBuffer()));
    assert.equal(pdfPageCount(path), PAGES);
    assert.equal(squash(pdfPageText(path, PAGES)), squash(pageLines(PAGES).join(' ')));
  });

  it('answers csv of a document without tables with 409, then deletes the job with its exports', async () => {
    const csv = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=csv`);
    assert.equal(csv.status, 409);
    assert.equal(((await csv.json()) as { error: string }).error, 'no_tables');
    const del = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=txt`)).status, 404);
  });
});
