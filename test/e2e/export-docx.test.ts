import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Block, Line, Table } from '@ocr/domain';
import { exporterFor, type ExportContext } from '@ocr/export';
import type { JobView, PageView } from '@ocr/jobs';
import { cer } from '../support/cer';
import { corpusPath } from '../support/corpus';
import { pollUntilFinished, submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

/**
 * The Word export: structure checked in word/document.xml (through the same reader as the goldens),
 * and the file opened by headless LibreOffice, which must give the job's text back.
 */

interface GoldenModule {
  readZipEntry(zip: Buffer, name: string): Buffer;
  docxStructure(docx: Buffer): string;
}
const SCRIPT = pathToFileURL(resolve(__dirname, '../../../scripts/update-goldens.mjs')).href;
const golden = (): Promise<GoldenModule> => import(SCRIPT) as Promise<GoldenModule>;

const SOFFICE = '/usr/bin/soffice';
// docx, hOCR and ALTO read nothing from the context (the original file is for pdf), so a minimal one does.
const CONTEXT = { inputKind: 'png', source: async () => null, scratchDir: tmpdir(), options: {} } as ExportContext;

/** Plain text of each docx as LibreOffice reads it, from a fresh profile so runs never share state. */
function libreOfficeText(files: Record<string, Buffer>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'docx-lo-'));
  try {
    const paths = Object.entries(files).map(([name, bytes]) => {
      writeFileSync(join(dir, `${name}.docx`), bytes);
      return join(dir, `${name}.docx`);
    });
    execFileSync(SOFFICE, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'txt:Text', '--outdir', join(dir, 'out'), ...paths], {
      timeout: 180_000,
      stdio: 'ignore',
    });
    return Object.fromEntries(
      Object.keys(files).map((name) => {
        const out = join(dir, 'out', `${name}.txt`);
        assert.ok(existsSync(out), `LibreOffice did not convert ${name}.docx`);
        return [name, readFileSync(out, 'utf8').replace(/^\uFEFF/, '')];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sortedWords(text: string): string {
  return text.split(/\s+/u).filter(Boolean).sort().join(' ');
}

const skipWithoutLibreOffice = existsSync(SOFFICE) ? false : 'LibreOffice (libreoffice-writer-nogui) is not installed';

// ------------------------------------------------------------------------------------------------
// A synthetic job with every structure the exporter handles, including a table with spans.

function line(text: string, x: number, y: number): Line {
  let cx = x;
  const words = text.split(' ').map((w) => {
    const bbox: [number, number, number, number] = [cx, y, cx + w.length * 20, y + 30];
    cx += w.length * 20 + 15;
    return { text: w, bbox, confidence: 0.9 };
  });
  return { text, bbox: [x, y, cx - 15, y + 30], confidence: 0.9, words };
}

function block(kind: Block['kind'], lines: Line[], level?: number): Block {
  const b: Block = {
    kind,
    text: lines.map((l) => l.text).join('\n'),
    bbox: [Math.min(...lines.map((l) => l.bbox[0])), lines[0]!.bbox[1], Math.max(...lines.map((l) => l.bbox[2])), lines[lines.length - 1]!.bbox[3]],
    confidence: 0.9,
    lines,
  };
  return level ? { ...b, level } : b;
}

const TABLE: Table = {
  bbox: [90, 550, 900, 680],
  rows: 3,
  cols: 3,
  detection: 'ruled',
  cells: [
    { row: 0, col: 0, row_span: 1, col_span: 1, text: 'Name', bbox: [90, 550, 300, 590] },
    { row: 0, col: 1, row_span: 1, col_span: 2, text: 'Quarters', bbox: [300, 550, 900, 590] },
    { row: 1, col: 0, row_span: 1, col_span: 1, text: 'Alpha', bbox: [90, 590, 300, 630] },
    { row: 1, col: 1, row_span: 1, col_span: 1, text: '10', bbox: [300, 590, 600, 630] },
    { row: 1, col: 2, row_span: 2, col_span: 1, text: '20 & more', bbox: [600, 590, 900, 680] },
    { row: 2, col: 0, row_span: 1, col_span: 1, text: 'Beta', bbox: [90, 630, 300, 680] },
    { row: 2, col: 1, row_span: 1, col_span: 1, text: '30', bbox: [300, 630, 600, 680] },
  ],
};

function page(index: number, width: number, height: number, blocks: Block[], tables?: Table[]): PageView {
  return { index, status: 'done', text: '', markdown: '', blocks, error: null, engine_ms: 1, width, height, dpi: 300, languages: ['eng'], tables };
}

function syntheticJob(): JobView {
  const first = page(0, 2480, 3508, [
    block('heading', [line('Quarterly <report>', 100, 100)], 1),
    block('paragraph', [line('A paragraph whose exam-', 100, 200), line('ple is hyphenated', 100, 240)]),
    block('list_item', [line('1. first item', 100, 300)]),
    block('list_item', [line('2. second item', 100, 340)]),
    block('list_item', [line('• a bullet', 100, 400)]),
    block('heading', [line('Figures', 100, 480)], 2),
    block('paragraph', [line('Name Quarters', 100, 555), line('Alpha 10 20 & more', 100, 595), line('Beta 30', 100, 640)]),
    block('paragraph', [line('After the table', 100, 800)]),
  ], [TABLE]);
  const second = page(1, 3508, 2480, [block('list_item', [line('a) alpha', 100, 100)]), block('list_item', [line('b) beta', 100, 140)]), block('paragraph', [line('Landscape page', 100, 300)])]);
  const failed: PageView = { index: 2, status: 'failed', text: '', markdown: '', blocks: [], error: 'undecodable', engine_ms: null };
  return {
    uuid: '00000000-0000-4000-8000-000000000000', status: 'done', tier: 'cpu', language: 'en', tool: null, translate_to: null,
    page_count: 3, pages_done: 2, pages_failed: 1, mean_confidence: 0.9, text: '', markdown: '', detected_languages: ['eng'],
    error: null, warnings: [], created_at: '2026-01-01T00:00:00Z', finished_at: null, pages: [first, second, failed],
  };
}

const EXPECTED_STRUCTURE = `[Heading1] Quarterly <report>
A paragraph whose example is hyphenated
[list 2] first item
[list 2] second item
[list 3] a bullet
[Heading2] Figures
<table>
| Name | Quarters {span 2} |
| Alpha | 10 | 20 & more {merge start} |
| Beta | 30 | {merged} |
</table>

After the table
=== page ===
[list 4] alpha
[list 4] beta
Landscape page
=== page ===

=== page ===
`;

describe('docx export', () => {
  it('writes headings, real lists, a merged-cell table in place of its lines, and one section per page', async () => {
    const { readZipEntry, docxStructure } = await golden();
    const docx = await exporterFor('docx').render(syntheticJob(), CONTEXT);
    assert.equal(docx.subarray(0, 2).toString(), 'PK');
    assert.equal(docxStructure(docx), EXPECTED_STRUCTURE);

    const xml = readZipEntry(docx, 'word/document.xml').toString('utf8');
    assert.equal((xml.match(/<w:gridCol /g) ?? []).length, 3, 'a three-column grid');
    assert.match(xml, /<w:pgSz [^>]*w:orient="landscape"/, 'the wide page is landscape');
    const numbering = readZipEntry(docx, 'word/numbering.xml').toString('utf8');
    for (const [format, text] of [['decimal', '%1.'], ['bullet', '•'], ['lowerLetter', '%1)']]) {
      const level = `<w:numFmt w:val="${format}"/><w:lvlText w:val="${text}"/>`;
      assert.ok(numbering.replace(/>\s+</g, '><').includes(level), `${format} list`);
    }
  });

  it('splits a block around a table inside it, and places a table none of whose lines were read by its position', async () => {
    const { docxStructure } = await golden();
    const table = (top: number, text: string): Table => ({
      bbox: [90, top, 900, top + 80],
      rows: 1,
      cols: 2,
      detection: 'aligned',
      cells: [
        { row: 0, col: 0, row_span: 1, col_span: 1, text, bbox: [90, top, 400, top + 80] },
        { row: 0, col: 1, row_span: 1, col_span: 1, text: 'cell', bbox: [400, top, 900, top + 80] },
      ],
    });
    const straddling = block('paragraph', [line('before the table', 100, 100), line('inside it', 100, 220), line('after the table', 100, 400)]);
    const job = syntheticJob();
    job.pages = [page(0, 2480, 3508, [straddling, block('paragraph', [line('far below', 100, 1500)])], [table(200, 'first'), table(1000, 'unread')])];
    assert.equal(
      docxStructure(await exporterFor('docx').render(job, CONTEXT)),
      ['before the table', '<table>', '| first | cell |', '</table>', '', 'after the table', '<table>', '| unread | cell |', '</table>', '', 'far below', '=== page ===', ''].join('\n'),
    );
  });

  it('opens in LibreOffice and gives the text back', { skip: skipWithoutLibreOffice }, async () => {
    const docx = await exporterFor('docx').render(syntheticJob(), CONTEXT);
    const text = libreOfficeText({ synthetic: docx })['synthetic'] ?? '';
    for (const expected of ['Quarterly <report>', 'A paragraph whose example is hyphenated', 'first item', 'a bullet', 'Quarters', '20 & more', 'After the table', 'Landscape page']) {
      assert.ok(text.includes(expected), `missing ${expected} in:\n${text}`);
    }
    assert.equal(text.split('Alpha').length - 1, 1, 'table text is not repeated as a paragraph');
  });

  describe('over HTTP', { skip: skipWithoutLibreOffice }, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({ OCR_WORKERS: '2' });
    });
    after(async () => server.stop());

    it('round-trips scanned and text-layer documents through LibreOffice under 1% CER', async () => {
      const { docxStructure } = await golden();
      const jobs: Record<string, JobView> = {};
      const files: Record<string, Buffer> = {};
      for (const [name, file] of [['phototest', 'printed/tess_phototest.tif'], ['us017', 'pdf/icdar2013_us-017.pdf']] as const) {
        const res = await submit(server.baseUrl, { file: corpusPath(file), fields: { language: 'en' } });
        const job = (await pollUntilFinished(server.baseUrl, ((await res.json()) as JobView).uuid)) as unknown as JobView;
        assert.equal(job.status, 'done');
        const download = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=docx`);
        assert.equal(download.status, 200);
        assert.equal(download.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
        jobs[name] = job;
        files[name] = Buffer.from(await download.arrayBuffer());
        const pages = docxStructure(files[name]!).split('\n').filter((l) => l === '=== page ===').length;
        assert.equal(pages, job.page_count, `${file}: one section per page`);
      }
      const texts = libreOfficeText(files);
      for (const [name, job] of Object.entries(jobs)) {
        const text = texts[name] ?? '';
        // A Word table reads row by row where the job's text may read a column at a time (a text
        // layer's order), so pages with tables are compared on their words in sorted order.
        const hasTables = job.pages.some((p) => (p.tables ?? []).length > 0);
        const rate = hasTables ? await cer(sortedWords(text), sortedWords(job.text)) : await cer(text, job.text);
        assert.ok(rate < 0.01, `${name}: LibreOffice text CER ${rate} vs the job text${hasTables ? ' (words in sorted order)' : ''}`);
      }
    });
  });
});
