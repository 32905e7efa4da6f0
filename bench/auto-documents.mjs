#!/usr/bin/env node
// What `language=auto` costs on the corpus's documents that bench/run.mjs leaves out (issue 12):
// the receipts (German thermal prints, flatbed scans), the table images (ICDAR 2013 pages,
// PubTabNet crops at about 72 dpi), the single printed lines (19th-century commentaries with
// polytonic Greek, a Syriac line) and the handwritten pages, read by apps/standalone
// (OCR_WORKERS=1, one request at a time) with `auto` and with the manifest's language, alternating
// so the machine's drift hits both alike. Receipts' and tables' capitals and figures make square
// lines, as Chinese's are: this is where `auto` read every script's model before 2026-12-04. A
// line is too little for OSD, and handwriting reads poorly in every model.
// Per document: the time of `auto` over the time with the language given (best of ROUNDS each), the
// band readings, the script and language found (and whether the script is one of the given
// languages'), and both CERs (receipts against the corpus's silver text: AWS Textract's lines,
// unverified). Target: <= 1.3x in all.
// Writes bench/out/auto-documents.json and the "Auto on the corpus's other documents" section of
// bench/RESULTS.md. Needs `make build`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cer } from './lib/cer.mjs';
import { corpusDocuments } from './lib/corpus.mjs';
import { post, startService, stopService } from './lib/process.mjs';
import { writeResults } from './lib/results.mjs';

const { listLanguages, resolveTessdataDir } = await import('../libs/ocr/dist/index.js');
const { loadSettings } = await import('../libs/config/dist/index.js');

const REPO = resolve(new URL('..', import.meta.url).pathname);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const KINDS = { receipt: 'receipts', 'table-image': 'tables', 'printed-line': 'printed lines', handwriting: 'handwritten pages' };
const documents = corpusDocuments(Object.keys(KINDS));
// The scripts of the manifest's languages, from the installed models' list (the service's own).
const installed = listLanguages(resolveTessdataDir(loadSettings({ ...process.env, DATA_DIR: tmpdir() })));
const scriptsOf = (languages) => languages.split('+').map((code) => installed.find((l) => l.tesseract === code)?.script);

const work = mkdtempSync(join(tmpdir(), 'bench-auto-docs-'));
const service = await startService(join(work, 'data'), { METERING: 'false', OCR_WORKERS: '1', ANON_DAILY_PAGES: '1000000' });
const rows = [];
try {
  for (const doc of documents) {
    // The engine loads the model once before either is timed.
    await post(service.base, doc.path, { language: doc.languages });
    const times = { auto: [], given: [] };
    let auto;
    let given;
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      auto = await post(service.base, doc.path, { language: 'auto' });
      times.auto.push(performance.now() - t);
      t = performance.now();
      given = await post(service.base, doc.path, { language: doc.languages });
      times.given.push(performance.now() - t);
    }
    const page = auto.pages[0];
    const row = {
      name: doc.name,
      kind: doc.kind,
      script_given: scriptsOf(doc.languages).includes(page.detection?.script),
      language: doc.languages,
      auto_ms: Math.min(...times.auto),
      given_ms: Math.min(...times.given),
      probes: page.detection?.probes ?? 0,
      detected: `${page.detection?.script}/${page.languages.join('+')}`,
      passes_auto: page.recognition_passes,
      passes_given: given.pages[0].recognition_passes,
      cer_auto: await cer(page.text, doc.truth),
      cer_given: await cer(given.pages[0].text, doc.truth),
    };
    rows.push(row);
    console.error(`${doc.name}: ${(row.auto_ms / row.given_ms).toFixed(2)}x, ${row.probes} band readings, ${row.detected}`);
  }
} finally {
  await stopService(service);
  rmSync(work, { recursive: true, force: true });
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
const ratio = (xs) => sum(xs, (r) => r.auto_ms) / sum(xs, (r) => r.given_ms);
const summary = (label, of) =>
  `| ${label} (${of.length}) | ${ratio(of).toFixed(2)}x | ${(sum(of, (r) => r.probes) / of.length).toFixed(1)} | ${of.filter((r) => r.script_given).length}/${of.length} | ${pct(sum(of, (r) => r.cer_auto) / of.length)} / ${pct(sum(of, (r) => r.cer_given) / of.length)} |`;
const kinds = Object.entries(KINDS).map(([kind, label]) => summary(label, rows.filter((r) => r.kind === kind)));
const perDocument = rows.map(
  (r) =>
    `| ${r.name} | ${r.language} | ${Math.round(r.given_ms)} ms, ${r.passes_given} | ${Math.round(r.auto_ms)} ms, ${r.passes_auto} | ${(r.auto_ms / r.given_ms).toFixed(2)}x | ${r.probes} | ${r.detected} | ${pct(r.cer_auto)} / ${pct(r.cer_given)} |`,
);
const markdown = `## Auto on the corpus's other documents

Made by \`node bench/auto-documents.mjs\` on ${new Date().toISOString().slice(0, 10)}: the corpus's ${Object.entries(KINDS).map(([kind, label]) => `${rows.filter((r) => r.kind === kind).length} ${label}`).join(', ')}, one request at a time (OCR_WORKERS=1), best of ${ROUNDS}; time of \`auto\` over the time with the manifest's language (target <= 1.3x). Receipts' CER is against the corpus's silver text (Textract's lines).

| documents | auto / given | band readings per page | a given language's script | mean CER auto / given |
| --- | --- | --- | --- | --- |
${summary('all', rows)}
${kinds.join('\n')}

| document | given | given: time, readings | auto: time, readings | auto / given | band readings | detected | CER auto / given |
| --- | --- | --- | --- | --- | --- | --- | --- |
${perDocument.join('\n')}
`;
mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/auto-documents.json'), `${JSON.stringify(rows, null, 2)}\n`);
writeResults(markdown);
console.log(markdown);
process.exit(0);
