import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { strFromU8, unzipSync } from 'fflate';
import { AppError } from '@ocr/domain';
import { exporterFor, type ExportContext } from '@ocr/export';
import type { JobView, PagedJobView } from '@ocr/jobs';
import { pollUntilFinished, submit } from '../support/http';
import { pdfFromObjects } from '../support/pdf-objects';
import { pdfPageCount, tempFile } from '../support/poppler';
import { startServer, type TestServer } from '../support/server';
import { votingRecordOps } from '../support/voting-pdf';

/**
 * The formats that used to be built whole (searchable PDF, docx, csv) on a long born-digital
 * document: each is downloaded (written page by page into the export cache, then streamed out),
 * is a valid file, holds what the whole-document renderer makes of the same job, and reads the
 * job's pages one at a time, writing as it goes.
 */

const PAGES = 60;
/** Every third page holds a table (the voting record), the others prose. */
const hasTable = (page: number): boolean => page % 3 === 0;

function escapePdf(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
}

function proseOps(page: number): string {
  return Array.from({ length: 6 }, (_, i) => `BT /F1 12 Tf 72 ${720 - i * 20} Td (${escapePdf(`Page ${page} line ${i + 1}: minutes of the sitting, item ${page * 6 + i}`)}) Tj ET`).join('\n');
}

/** A born-digital PDF (Helvetica text layer) of `PAGES` pages, tables on every third. */
function longPdf(): Buffer {
  const objects = ['', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  const kids: number[] = [];
  for (let page = 1; page <= PAGES; page++) {
    const ops = hasTable(page) ? votingRecordOps({ gap: 4.5, ruled: true }) : proseOps(page);
    objects.push(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`);
    kids.push(objects.length);
  }
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${PAGES} >>`;
  return pdfFromObjects(objects);
}

/** The job seen page by page, recording each page read and each piece written, in order. */
function recorded(job: JobView): { paged: PagedJobView; events: string[] } {
  const events: string[] = [];
  const paged: PagedJobView = {
    uuid: job.uuid,
    view: async () => {
      events.push('view');
      return { ...job, pages: [] };
    },
    pages: async function* () {
      for (const page of job.pages) {
        events.push('page');
        yield page;
      }
    },
  };
  return { paged, events };
}

async function streamed(format: string, job: JobView, context: ExportContext): Promise<{ bytes: Buffer; events: string[] }> {
  const { paged, events } = recorded(job);
  const stream = exporterFor(format).stream;
  assert.ok(stream, `${format} streams`);
  const pieces: Buffer[] = [];
  for await (const piece of stream(paged, context)) {
    events.push('piece');
    pieces.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
  }
  return { bytes: Buffer.concat(pieces), events };
}

/** The most pages read one after another with no piece of the file written in between. */
function longestSilence(events: string[]): number {
  let longest = 0;
  let run = 0;
  for (const event of events) {
    if (event === 'page') longest = Math.max(longest, ++run);
    else if (event === 'piece') run = 0;
  }
  return longest;
}

/** How many pages were followed by a piece of the file before the next page was read. */
function pagesWrittenBeforeTheNext(events: string[]): number {
  let count = 0;
  for (let i = 0; i < events.length; i++) {
    if (events[i] !== 'page') continue;
    const next = events.indexOf('page', i + 1);
    if (events.slice(i + 1, next < 0 ? undefined : next).includes('piece')) count++;
  }
  return count;
}

const unzip = (bytes: Buffer): Record<string, string> => Object.fromEntries(Object.entries(unzipSync(new Uint8Array(bytes))).map(([k, v]) => [k, strFromU8(v)]));

describe('long document exports, page by page', () => {
  let server: TestServer;
  let job: JobView;
  let context: ExportContext;
  const original = tempFile('long.pdf', longPdf());

  before(async () => {
    server = await startServer({ OCR_WORKERS: '2', METERING: 'false', ANON_MAX_PAGES_PER_FILE: String(PAGES) });
    const res = await submit(server.baseUrl, { file: original });
    assert.equal(res.status, 202);
    job = (await pollUntilFinished(server.baseUrl, ((await res.json()) as JobView).uuid)) as unknown as JobView;
    assert.equal(job.status, 'done');
    context = {
      inputKind: 'pdf',
      source: async () => ({ path: original, release: async () => undefined }),
      scratchDir: '/tmp',
      tessdataDir: null,
      limits: { maxPages: PAGES, maxPixelsPerPage: 1e8, dpi: 300, timeoutMs: 60_000 },
      options: {},
    };
  });

  after(async () => {
    await server?.stop();
  });

  const download = (format: string, query = ''): Promise<Response> => fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=${format}${query}`);

  it('finds the tables of the document, one on every third page', () => {
    assert.equal(job.pages.length, PAGES);
    job.pages.forEach((page, i) => assert.equal((page.tables ?? []).length, hasTable(i + 1) ? 1 : 0, `page ${i + 1}`));
  });

  it('streams the csv byte for byte as rendered, with and without table=', async () => {
    const tables = PAGES / 3;
    for (const query of ['', '&table=1', `&table=${tables}`]) {
      const res = await download('csv', query);
      assert.equal(res.status, 200, query);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      const options: Record<string, string> = query ? { table: query.split('=')[1]! } : {};
      const expected = await exporterFor('csv').render(job, { ...context, options });
      assert.ok((await res.text()) === expected.toString('utf8'), `csv${query} differs from render()`);
    }
    const all = (await (await download('csv')).text()).split('\r\n\r\n');
    assert.equal(all.length, tables);
    // A table number past the last is refused as render refuses it, and nothing is cached for it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await download('csv', `&table=${tables + 1}`);
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; field: string; tables: number };
      assert.deepEqual([body.error, body.field, body.tables], ['invalid_field', 'table', tables]);
    }
    await assert.rejects(exporterFor('csv').render(job, { ...context, options: { table: String(tables + 1) } }), AppError);
  });

  it('writes each table as its page is read, and stops reading after table N', async () => {
    const all = await streamed('csv', job, context);
    assert.ok(!all.events.includes('view'));
    assert.equal(all.events.filter((e) => e === 'page').length, PAGES);
    assert.equal(pagesWrittenBeforeTheNext(all.events), PAGES / 3);
    const first = await streamed('csv', job, { ...context, options: { table: '1' } });
    assert.deepEqual(first.events, ['page', 'page', 'page', 'piece']);
  });

  it('streams the docx with the document, numbering and styles docx writes whole', async () => {
    const res = await download('docx');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const got = unzip(Buffer.from(await res.arrayBuffer()));
    const whole = unzip(await exporterFor('docx').render(job, context));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(whole).sort());
    for (const part of Object.keys(whole)) {
      // core.xml carries the time it was written.
      if (part !== 'docProps/core.xml') assert.ok(got[part] === whole[part], `${part} differs from render()`);
    }
    const documentXml = got['word/document.xml'] ?? '';
    assert.equal(documentXml.split('<w:sectPr').length - 1, PAGES, 'one section per page');
    assert.equal(documentXml.split('<w:tbl>').length - 1, PAGES / 3, 'one Word table per table');
    assert.match(documentXml, new RegExp(`Page ${PAGES - 1} line 6:`));
  });

  it('writes the docx page by page', async () => {
    const { bytes, events } = await streamed('docx', job, context);
    assert.ok(!events.includes('view'));
    assert.equal(events.filter((e) => e === 'page').length, PAGES);
    // Each page is written once the next is read (its section ends where the next begins), into
    // a deflate stream that gives its bytes out a block at a time: a few pages, never the document.
    assert.ok(longestSilence(events) <= 8, events.join(' '));
    assert.equal(unzip(bytes)['word/document.xml'], unzip(await exporterFor('docx').render(job, context))['word/document.xml']);
  });

  it('streams a valid searchable PDF of every page, byte for byte as rendered, with the text of the original', async () => {
    const res = await download('pdf');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.ok(bytes.equals(await exporterFor('pdf').render(job, context)), 'the download differs from render()');
    const path = tempFile('searchable.pdf', bytes);
    // qpdf exits non-zero on any structural error (xref offsets, object syntax, streams).
    const check = execFileSync('qpdf', ['--check', path], { encoding: 'utf8' });
    assert.match(check, /No syntax or stream encoding errors found/);
    assert.equal(pdfPageCount(path), PAGES);
    const text = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(text(path), text(original));
  });

  it('writes each page of the PDF before reading the next', async () => {
    const { events } = await streamed('pdf', job, context);
    assert.ok(!events.includes('view'));
    assert.equal(events[0], 'piece', 'the header leaves first');
    assert.equal(events.filter((e) => e === 'page').length, PAGES);
    assert.equal(pagesWrittenBeforeTheNext(events), PAGES);
  });
});
