#!/usr/bin/env node
// Tables against their cell ground truth: every ICDAR 2013 page of the corpus, born-digital (text
// layer) and rendered (OCR), POSTed with tool=extract-tables; each table's CSV is scored cell by cell
// against the page's gt.csv (bench/lib/table-score.mjs, as test/e2e/export-tables.test.ts does) and
// the best table counts. Accuracy, not time: one run is enough.
//
//   node bench/tables.mjs
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR } from './lib/corpus.mjs';
import { pool, startService } from './lib/process.mjs';
import { writeResults } from './lib/results.mjs';
import { parseCsv, scoreTable } from './lib/table-score.mjs';

const dir = join(CORPUS_DIR, 'tables');
const pages = readdirSync(dir)
  .filter((f) => f.startsWith('icdar2013_') && /\.(pdf|png)$/.test(f))
  .sort();
const service = await startService(mkdtempSync(join(tmpdir(), 'ocr-bench-tables-')), { OCR_WORKERS: '2' });

async function extract(file) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(dir, file))]), file);
  form.append('tool', 'extract-tables');
  let job = await (await fetch(`${service.base}/api/v1/ocr/`, { method: 'POST', body: form })).json();
  while (job.status === 'pending' || job.status === 'processing') {
    await new Promise((r) => setTimeout(r, 200));
    job = await (await fetch(`${service.base}/api/v1/ocr/${job.uuid}/`)).json();
  }
  const truth = parseCsv(readFileSync(join(dir, file.replace(/\.(pdf|png)$/, '.gt.csv')), 'utf8'));
  const tables = job.pages.flatMap((p) => p.tables ?? []);
  let best = 0;
  for (let i = 1; i <= tables.length; i++) {
    const csv = await (await fetch(`${service.base}/api/v1/ocr/${job.uuid}/download/?format=csv&table=${i}`)).text();
    best = Math.max(best, scoreTable(parseCsv(csv), truth).rate);
  }
  return { file, source: job.pages.map((p) => p.source).join('+'), tables: tables.map((t) => `${t.rows}x${t.cols} ${t.detection}`).join('; ') || 'none', rate: best };
}

try {
  const rows = await pool(pages, 2, extract);
  const mean = (kind) => {
    const rates = rows.filter((r) => r.file.endsWith(kind)).map((r) => r.rate);
    return rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
  };
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  writeResults(
    [
      '## Tables against their cell ground truth',
      '',
      `Made by \`node bench/tables.mjs\` on ${new Date().toISOString().slice(0, 10)}: the corpus's ICDAR 2013 pages with \`tool=extract-tables\`, the best table's CSV scored cell by cell against \`gt.csv\` (\`bench/lib/table-score.mjs\`). \`.pdf\`: the born-digital page (text layer; white space and, rendered at 150 dpi, its ruling lines); \`.png\`: the same page rendered at 150 dpi and read by OCR.`,
      '',
      '| page | read from | tables found | cells matched |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => `| tables/${r.file} | ${r.source} | ${r.tables} | ${pct(r.rate)} |`),
      `| **mean** | | | **${pct(mean('.pdf'))}** (pdf), **${pct(mean('.png'))}** (png) |`,
    ].join('\n'),
  );
  console.log(`tables: pdf ${pct(mean('.pdf'))}, png ${pct(mean('.png'))}`);
} finally {
  service.child.kill('SIGTERM');
}
