import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { PDFDocument } from 'pdf-lib';
import { exporterFor, type ExportContext } from '@ocr/export';
import type { JobView } from '@ocr/jobs';
import { pdfWithPages } from '../support/invoice-pdf';
import { pdfFromObjects } from '../support/pdf-objects';
import { tempFile } from '../support/poppler';

/**
 * The searchable PDF reads its original page by page through the file's cross-reference data:
 * classic tables, xref and object streams, incremental updates. A file whose xref cannot be
 * trusted is read whole instead. Whichever way, the pages come out as they went in.
 */

const PAGES = 5;
const original = (): Buffer => pdfWithPages(Array.from({ length: PAGES }, (_, i) => [`Page ${i + 1} opening line`, `Page ${i + 1} closing line`]));

/** A finished job of text-layer pages (nothing to add to them), `pages` being the upload's page numbers. */
function job(pages: number[]): JobView {
  return { uuid: 'job', pages: pages.map((n, index) => ({ index, status: 'done', source: 'text-layer', text: '', source_page: n })) } as unknown as JobView;
}

function context(path: string): ExportContext {
  return {
    inputKind: 'pdf',
    source: async () => ({ path, release: async () => undefined }),
    scratchDir: tmpdir(),
    tessdataDir: null,
    limits: { maxPages: 100, maxPixelsPerPage: 1e8, dpi: 300, timeoutMs: 30_000 },
    options: {},
  };
}

const text = (path: string): string => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

/** The searchable PDF of these pages of `input`, checked by qpdf; its text. */
async function searchableText(input: Buffer, pages: number[] = Array.from({ length: PAGES }, (_, i) => i + 1)): Promise<string> {
  const out = tempFile('searchable.pdf', await exporterFor('pdf').render(job(pages), context(tempFile('original.pdf', input))));
  assert.match(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' }), /No syntax or stream encoding errors found/);
  return text(out);
}

/** An incremental update replacing page 1's content (page 1 is object 5 of `pdfWithPages`). */
function updated(base: Buffer): Buffer {
  const prev = Number(/startxref\s+(\d+)/.exec(base.toString('latin1'))?.[1]);
  const size = Number(/\/Size (\d+)/.exec(base.toString('latin1'))?.[1]);
  const ops = 'BT /F1 12 Tf 72 720 Td (Page 1 as amended) Tj ET';
  let tail = '\n';
  const offsetOf = (): number => base.length + Buffer.byteLength(tail, 'latin1');
  const contentAt = offsetOf();
  tail += `${size} 0 obj\n<< /Length ${ops.length} >>\nstream\n${ops}\nendstream\nendobj\n`;
  const pageAt = offsetOf();
  tail += `5 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${size} 0 R >>\nendobj\n`;
  const xrefAt = offsetOf();
  const entry = (offset: number): string => `${String(offset).padStart(10, '0')} 00000 n \n`;
  tail += `xref\n0 1\n0000000000 65535 f \n5 1\n${entry(pageAt)}${size} 1\n${entry(contentAt)}`;
  tail += `trailer\n<< /Size ${size + 1} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([base, Buffer.from(tail, 'latin1')]);
}

describe('the original of a searchable PDF, read page by page', () => {
  it('follows a classic xref table, and keeps only the pages of the job', async () => {
    const input = original();
    assert.equal(await searchableText(input), text(tempFile('in.pdf', input)));
    const some = await searchableText(input, [2, 4]);
    assert.deepEqual(some.split('\f').filter((p) => p.trim()).map((p) => /Page (\d)/.exec(p)?.[1]), ['2', '4']);
  });

  it('follows an xref stream into object streams', async () => {
    const doc = await PDFDocument.load(original());
    const packed = Buffer.from(await doc.save({ useObjectStreams: true }));
    assert.match(packed.toString('latin1'), /\/Type \/ObjStm/);
    assert.equal(await searchableText(packed), text(tempFile('in.pdf', original())));
  });

  it('takes the newest version of an object from an incremental update', async () => {
    const got = await searchableText(updated(original()));
    assert.match(got, /Page 1 as amended/);
    assert.doesNotMatch(got, /Page 1 opening line/);
    assert.match(got, /Page 5 closing line/);
  });

  it('gives each page what it inherits from the page tree (resources, box, rotation)', async () => {
    const ops = (n: number): string => `BT /F1 12 Tf 72 720 Td (Inherited page ${n}) Tj ET`;
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [5 0 R 7 0 R] /Count 2 /Resources 4 0 R /MediaBox [0 0 612 792] /Rotate 90 >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      '<< /Font << /F1 3 0 R >> >>',
      '<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>',
      `<< /Length ${ops(1).length} >>\nstream\n${ops(1)}\nendstream`,
      '<< /Type /Page /Parent 2 0 R /Contents 8 0 R >>',
      `<< /Length ${ops(2).length} >>\nstream\n${ops(2)}\nendstream`,
    ];
    const input = pdfFromObjects(objects);
    const out = tempFile('searchable.pdf', await exporterFor('pdf').render(job([1, 2]), context(tempFile('tree.pdf', input))));
    assert.equal(text(out), text(tempFile('in.pdf', input)));
    assert.match(text(out), /Inherited page 2/);
    assert.match(execFileSync('pdfinfo', ['-f', '1', '-l', '2', out], { encoding: 'utf8' }), /Page\s+2 rot:\s+90/);
  });

  it('reads a file whose xref offsets are wrong whole, with the same pages', async () => {
    const input = original();
    // A comment after the header moves every object away from where the xref says it is.
    const shifted = Buffer.concat([input.subarray(0, 9), Buffer.from('% moved\n', 'latin1'), input.subarray(9)]);
    assert.equal(await searchableText(shifted), text(tempFile('in.pdf', input)));
  });
});
