import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cer } from '../support/cer';
import { corpusPath } from '../support/corpus';
import { pollUntilFinished, submit } from '../support/http';
import { pdfPageCount, pdfPageText, pdfPageWords, squash, tempFile } from '../support/poppler';
import { declarationText, renderScannedPage } from '../support/rendered-page';
import { startServer, type TestServer } from '../support/server';

interface JobWord {
  text: string;
  bbox: [number, number, number, number];
}
interface JobPage {
  index: number;
  text: string;
  dpi: number;
  blocks: Array<{ lines: Array<{ words: JobWord[] }> }>;
}
interface Job {
  uuid: string;
  status: string;
  pages: JobPage[];
}

async function ocr(server: TestServer, file: string | { name: string; bytes: Buffer }, fields: Record<string, string> = {}): Promise<Job> {
  const res = await submit(server.baseUrl, { file, fields });
  const job = (await res.json()) as Job;
  assert.equal(job.status, 'done', JSON.stringify(job).slice(0, 300));
  return job;
}

async function downloadPdf(server: TestServer, job: Job): Promise<{ path: string; bytes: Buffer }> {
  const res = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=pdf`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/pdf/);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { path: tempFile(`${job.uuid}.pdf`, bytes), bytes };
}

const words = (page: JobPage): JobWord[] => page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));

/**
 * Searchable PDF round trips: what a reader copies out of the PDF is the job's text, and the words
 * sit where the job says they are.
 */
describe('searchable PDF export', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ OCR_WORKERS: '2' });
  });
  after(async () => server.stop());

  for (const file of ['printed/tess_phototest.tif', 'printed/tess_phototest-rotated-L.png', 'pdf/ocrmypdf_cardinal.pdf', 'pdf/ocrmypdf_skew.pdf']) {
    it(`${file}: pdftotext gives back the job text (CER < 1% per page)`, async () => {
      const job = await ocr(server, corpusPath(file), { language: 'en' });
      const pdf = await downloadPdf(server, job);
      assert.equal(pdfPageCount(pdf.path), job.pages.length);
      for (const page of job.pages) {
        const rate = await cer(squash(pdfPageText(pdf.path, page.index + 1, true)), squash(page.text));
        assert.ok(rate < 0.01, `page ${page.index + 1}: CER ${(rate * 100).toFixed(2)}%`);
      }
    });
  }

  for (const file of ['printed/tess_phototest.tif', 'pdf/ocrmypdf_cardinal.pdf']) {
    it(`${file}: word boxes in the PDF are within 3 px of the job's`, async () => {
      const job = await ocr(server, corpusPath(file), { language: 'en' });
      const pdf = await downloadPdf(server, job);
      for (const page of job.pages) {
        const k = page.dpi / 72;
        const found = pdfPageWords(pdf.path, page.index + 1).map((w) => ({ text: w.text, box: w.box.map((v) => v * k) }));
        let checked = 0;
        for (const word of words(page)) {
          const distance = (f: { box: number[] }) => Math.abs((f.box[0] ?? 0) - word.bbox[0]) + Math.abs((f.box[3] ?? 0) - word.bbox[3]);
          const match = found.filter((f) => f.text === word.text && distance(f) < 80).sort((a, b) => distance(a) - distance(b))[0];
          assert.ok(match, `page ${page.index + 1}: '${word.text}' at ${word.bbox.join(',')} not found in the PDF`);
          const [x0, y0, x1, y1] = match.box as [number, number, number, number];
          assert.ok(Math.abs(x0 - word.bbox[0]) <= 3 && Math.abs(x1 - word.bbox[2]) <= 3, `'${word.text}': x ${x0},${x1} vs ${word.bbox[0]},${word.bbox[2]}`);
          // The text layer spans each word over its line's height: the word's own box lies inside.
          assert.ok(y0 <= word.bbox[1] + 3 && y1 >= word.bbox[3] - 3, `'${word.text}': y ${y0},${y1} vs ${word.bbox[1]},${word.bbox[3]}`);
          checked++;
        }
        assert.ok(checked > 20, `page ${page.index + 1}: only ${checked} words`);
      }
    });
  }

  it('keeps pages that had a text layer as they were, and caches the file', async () => {
    const file = corpusPath('pdf/icdar2013_us-017.pdf');
    const submitted = (await (await submit(server.baseUrl, { file })).json()) as Job;
    const job = (await pollUntilFinished(server.baseUrl, submitted.uuid)) as unknown as Job;
    assert.equal(job.status, 'done');
    const first = await downloadPdf(server, job);
    for (let p = 1; p <= job.pages.length; p++) assert.equal(pdfPageText(first.path, p), pdfPageText(file, p), `page ${p}`);
    const again = await downloadPdf(server, job);
    assert.ok(again.bytes.equals(first.bytes), 'a second download is the cached file');
    assert.ok(readdirSync(join(server.dataDir, 'blobs', 'exports', job.uuid)).some((n) => n.endsWith('.pdf')));
  });

  it('copies right-to-left text in logical order', async () => {
    const truth = declarationText('arb', 1);
    const page = await renderScannedPage(truth, 'Noto Sans Arabic', true);
    const job = await ocr(server, { name: 'arabic.png', bytes: page }, { language: 'ar' });
    const pdf = await downloadPdf(server, job);
    // pdftotext marks right-to-left runs with bidi embedding controls; the characters are the point.
    const copied = squash(pdfPageText(pdf.path, 1).replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ''));
    const rate = await cer(copied, squash(job.pages[0]?.text ?? ''));
    assert.ok(rate < 0.02, `CER ${(rate * 100).toFixed(2)}% between the copied and the job's text`);
  });

  it('opens in a PDF checker without errors', async () => {
    assert.ok(existsSync('/usr/bin/qpdf'));
    const job = await ocr(server, corpusPath('pdf/ocrmypdf_skew.pdf'), { language: 'en' });
    const pdf = await downloadPdf(server, job);
    const out = execFileSync('qpdf', ['--check', pdf.path], { encoding: 'utf8' });
    assert.match(out, /No syntax or stream encoding errors found/);
  });
});
