#!/usr/bin/env node
// Benchmark: the service's searchable PDF against OCRmyPDF on the corpus's scanned PDFs, in one run.
//
//   node bench/searchable-pdf.mjs            (make bench-pdf)
//
// For every scanned PDF of ../shared/corpus/pdf, one at a time so each tool has both cores:
// - service: apps/standalone (OCR_WORKERS = cores), POST, wait, download ?format=pdf; wall time from
//   the POST to the last byte of the PDF.
// - OCRmyPDF (Debian), `--jobs <cores> -l <lang> --output-type pdf` (its default PDF/A conversion
//   through Ghostscript re-encodes the images, so plain PDF is its fastest like-for-like output),
//   once as it comes and once with `--rotate-pages --deskew` (what it needs on rotated and skewed scans).
// Reported per file: seconds, output size, and the character error rate of `pdftotext` of the output
// against the ground truth. Appends its table to bench/RESULTS.md (replacing an earlier one).
import { writeResults } from './lib/results.mjs';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { cer } from './lib/cer.mjs';
import { corpusDocuments } from './lib/corpus.mjs';
import { run, startService } from './lib/process.mjs';

const REPO = resolve(new URL('.', import.meta.url).pathname, '..');
const CORES = cpus().length;
const work = mkdtempSync(join(tmpdir(), 'ocr-bench-pdf-'));
const now = () => performance.now();

// BENCH_PDF_ONLY=<substring> keeps the matching documents only, to check the script on a busy machine.
const docs = corpusDocuments(['pdf-scan']).filter((d) => !process.env.BENCH_PDF_ONLY || d.name.includes(process.env.BENCH_PDF_ONLY));
const service = await startService(join(work, 'service'), { OCR_WORKERS: String(CORES) });

async function viaService(doc) {
  const t = now();
  const form = new FormData();
  form.append('file', new Blob([readFileSync(doc.path)]), basename(doc.path));
  form.append('language', doc.languages);
  let job = await (await fetch(`${service.base}/api/v1/ocr/`, { method: 'POST', body: form })).json();
  while (job.status === 'pending' || job.status === 'processing') {
    await new Promise((r) => setTimeout(r, 100));
    job = await (await fetch(`${service.base}/api/v1/ocr/${job.uuid}/`)).json();
  }
  const done = now();
  const res = await fetch(`${service.base}/api/v1/ocr/${job.uuid}/download/?format=pdf`);
  if (res.status !== 200) throw new Error(`${doc.name}: download ${res.status}`);
  const out = join(work, `service-${basename(doc.path)}`);
  writeFileSync(out, Buffer.from(await res.arrayBuffer()));
  // Where the service's time went: the pages' stage timings (summed), and the PDF's assembly.
  const stage = (name) => job.pages.reduce((a, p) => a + [p.timings?.[name] ?? 0].flat().reduce((x, y) => x + y, 0), 0) / 1000;
  const passes = job.pages.reduce((a, p) => a + (p.timings?.recognition_ms?.length ?? 0), 0);
  const stages = { rasterise: stage('rasterise_ms'), recognition: stage('recognition_ms'), passes, other: stage('layout_ms') + stage('tables_ms') + stage('orientation_ms') + stage('store_ms'), assembly: (now() - done) / 1000 };
  return { seconds: (now() - t) / 1000, out, stages };
}

async function viaOcrmypdf(doc, extra, tag) {
  const out = join(work, `ocrmypdf-${tag}-${basename(doc.path)}`);
  const t = now();
  await run('ocrmypdf', ['--jobs', String(CORES), '-l', doc.languages, '--output-type', 'pdf', ...extra, doc.path, out]);
  return { seconds: (now() - t) / 1000, out };
}

/** CER of what pdftotext reads (its own reading order) and of -raw (the text layer's order). */
async function measure(result, doc) {
  const text = await run('pdftotext', ['-enc', 'UTF-8', result.out, '-']);
  const raw = await run('pdftotext', ['-raw', '-enc', 'UTF-8', result.out, '-']);
  return { ...result, bytes: statSync(result.out).size, cer: cer(text, doc.truth), rawCer: cer(raw, doc.truth) };
}

const rows = [];
for (const doc of docs) {
  const ours = await measure(await viaService(doc), doc);
  const plain = await measure(await viaOcrmypdf(doc, [], 'plain'), doc);
  const fixed = await measure(await viaOcrmypdf(doc, ['--rotate-pages', '--deskew'], 'fixed'), doc);
  rows.push({ doc, ours, plain, fixed, input: statSync(doc.path).size });
  console.log(doc.name, ours.seconds.toFixed(1), plain.seconds.toFixed(1), fixed.seconds.toFixed(1));
}
service.child.kill('SIGTERM');

const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
const mean = (f) => sum(f) / rows.length;
const kb = (b) => `${Math.round(b / 1024)} KiB`;
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const cell = (m) => `${m.seconds.toFixed(1)} s / ${kb(m.bytes)} / ${pct(m.cer)} / ${pct(m.rawCer)}`;
const total = (key) => `${sum((r) => r[key].seconds).toFixed(1)} s / ${kb(sum((r) => r[key].bytes))} / ${pct(mean((r) => r[key].cer))} / ${pct(mean((r) => r[key].rawCer))}`;
const version = (await run('ocrmypdf', ['--version'])).trim();
const lines = [
  '## Searchable PDF against OCRmyPDF',
  '',
  `Made by \`node bench/searchable-pdf.mjs\` (\`make bench-pdf\`) on ${new Date().toISOString().slice(0, 10)}; ${CORES} cores. Peer: OCRmyPDF ${version} (Debian), \`--jobs ${CORES} --output-type pdf\`, same files one at a time, same language; CER of \`pdftotext\` of each output against the ground truth.`,
  '',
  'Each cell: time / output size / CER of `pdftotext` / CER of `pdftotext -raw` (text-layer order). The ground truth of `ocrmypdf_*` is silver (OCR output in its own column order), so the default-order CER of two-column pages mostly measures reading order.',
  '',
  '| document | pages | input | service | OCRmyPDF | OCRmyPDF --rotate-pages --deskew |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.doc.name} | ${r.doc.pages} | ${kb(r.input)} | ${cell(r.ours)} | ${cell(r.plain)} | ${cell(r.fixed)} |`),
  `| **total / mean CER** | ${sum((r) => r.doc.pages)} | ${kb(sum((r) => r.input))} | **${total('ours')}** | ${total('plain')} | ${total('fixed')} |`,
  '',
  'Where the service\'s time went, per document: the pages\' stage timings summed (with several pages in parallel the sums can exceed the elapsed time) and the searchable PDF\'s assembly (the download):',
  '',
  '| document | service | rasterise | recognition (passes) | layout, tables, OSD, store | PDF assembly |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.doc.name} | ${r.ours.seconds.toFixed(1)} s | ${r.ours.stages.rasterise.toFixed(2)} s | ${r.ours.stages.recognition.toFixed(2)} s (${r.ours.stages.passes}) | ${r.ours.stages.other.toFixed(2)} s | ${r.ours.stages.assembly.toFixed(2)} s |`),
  '',
  `Time ratio service / OCRmyPDF: **${(sum((r) => r.ours.seconds) / sum((r) => r.plain.seconds)).toFixed(2)}x** (plain), **${(sum((r) => r.ours.seconds) / sum((r) => r.fixed.seconds)).toFixed(2)}x** (with --rotate-pages --deskew); size ratio **${(sum((r) => r.ours.bytes) / sum((r) => r.plain.bytes)).toFixed(2)}x** / **${(sum((r) => r.ours.bytes) / sum((r) => r.fixed.bytes)).toFixed(2)}x**.`,
  '',
];
writeResults(lines.join('\n'));
console.log(lines.join('\n'));
