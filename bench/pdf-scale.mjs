#!/usr/bin/env node
// Benchmark: PDFs at scale, in one run (part of `make bench-pdf`, see bench/pdf.mjs).
//
//   node bench/pdf-scale.mjs
//
// 1. Born-digital rate: a 100-page born-digital PDF (corpus text, bench/lib/make-pdfs.mjs) POSTed to
//    the standalone service until `done`, three times (median), against `pdftotext -bbox-layout` on
//    the same file (median of three) in the same run: pages per second and their ratio.
// 2. Long documents: a 500-page born-digital PDF and a 500-page scanned one (the corpus's printed
//    page images), each through POST, `done`, every export format and DELETE on a fresh service,
//    with the node process's resident memory sampled every 50 ms (and its VmHWM read at the end):
//    time of each step and the peak, held against MEMORY_BOUND.
// 3. Where the time goes: the per-page `timings` of the job JSON summed per stage.
// Writes bench/out/pdf-scale.json and its section of bench/RESULTS.md (replacing an earlier one).
//
// BENCH_PDF_PAGES=<born-digital>,<scanned> shrinks the long documents (e.g. `60,6`) to check the
// script on a busy machine; published figures come from full runs on a quiet one.
import { writeResults } from './lib/results.mjs';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bornDigitalPdf, scannedPdf } from './lib/make-pdfs.mjs';
import { run, startService } from './lib/process.mjs';

const REPO = resolve(new URL('.', import.meta.url).pathname, '..');
const CORES = cpus().length;
/** The bound the node process's peak resident memory must stay under on a 500-page document. */
const MEMORY_BOUND = 1024 * 1024 * 1024;
const FORMATS = ['txt', 'md', 'json', 'pdf', 'docx', 'csv', 'hocr', 'alto'];
const [LONG_BORN, LONG_SCANNED] = (process.env.BENCH_PDF_PAGES ?? '500,500').split(',').map(Number);
const RATE_PAGES = Math.min(100, LONG_BORN);
const work = mkdtempSync(join(tmpdir(), 'ocr-bench-scale-'));
const now = () => performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const mib = (b) => `${Math.round(b / 1024 / 1024)} MiB`;

const SERVICE_ENV = {
  OCR_WORKERS: String(CORES),
  METERING: 'false',
  ANON_MAX_PAGES_PER_FILE: '500',
  MAX_PAGES_PER_FILE: '500',
  INLINE_WAIT_SECONDS: '3600',
};

/**
 * Samples a process's resident set (VmRSS) until stopped; `peak` also reads the kernel's VmHWM.
 * `step` gives the peak since the previous `step` (one export format's own peak).
 */
function memorySampler(pid) {
  const status = () => readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  let peak = 0;
  let stepPeak = 0;
  const sample = () => {
    try {
      const rss = kib(status(), 'VmRSS');
      peak = Math.max(peak, rss);
      stepPeak = Math.max(stepPeak, rss);
    } catch {
      /* the process is gone */
    }
  };
  const timer = setInterval(sample, 50);
  return {
    /** The peak so far. */
    mark: () => peak,
    step: () => {
      sample();
      const value = stepPeak;
      stepPeak = 0;
      sample();
      return value;
    },
    stop: () => {
      clearInterval(timer);
      let hwm = 0;
      try {
        hwm = kib(status(), 'VmHWM');
      } catch {
        /* gone */
      }
      return { sampled: peak, hwm };
    },
  };
}

async function post(base, path) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(path)]), 'document.pdf');
  const res = await fetch(`${base}/api/v1/ocr/`, { method: 'POST', body: form });
  const job = await res.json();
  if (!job.uuid) throw new Error(`POST ${res.status}: ${JSON.stringify(job)}`);
  return job;
}

/**
 * Polls every 25 ms until the job is done. `doneAt` is when a poll's first bytes said `done` (the
 * status leads the JSON, and a finished job's JSON is streamed page by page); the job is returned
 * once that whole response is read (`downloadedAt`).
 */
async function untilDone(base, job) {
  let doneAt = performance.now();
  while (job.status === 'pending' || job.status === 'processing') {
    await new Promise((r) => setTimeout(r, 25));
    const res = await fetch(`${base}/api/v1/ocr/${job.uuid}/`);
    const reader = res.body.getReader();
    const chunks = [];
    for (let first = true; ; first = false) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first) doneAt = performance.now();
      chunks.push(value);
    }
    job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }
  if (job.status !== 'done') throw new Error(`job ${job.uuid} ${job.status}: ${job.error}`);
  return Object.assign(job, { doneAt, downloadedAt: performance.now() });
}

/**
 * Waits for the job's `done` (or `failed`) event on its event stream (GET /events), the API's way
 * to wait without asking again and again; then reads the whole job JSON. `doneAt`: the event's arrival.
 */
async function untilDoneByEvents(base, job) {
  const res = await fetch(`${base}/api/v1/ocr/${job.uuid}/events`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    if (/^event: (done|failed)$/m.test(buffered)) break;
  }
  const doneAt = performance.now();
  const finished = await (await fetch(`${base}/api/v1/ocr/${job.uuid}/`)).json();
  if (finished.status !== 'done') throw new Error(`job ${job.uuid} ${finished.status}: ${finished.error}`);
  return Object.assign(finished, { doneAt, downloadedAt: performance.now() });
}

/** Sums each stage of the pages' timings; recognition also counts its passes. */
function stageSums(job) {
  const sums = {};
  let passes = 0;
  for (const page of job.pages) {
    for (const [stage, value] of Object.entries(page.timings ?? {})) {
      const ms = Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : value;
      if (Array.isArray(value)) passes += value.length;
      sums[stage] = (sums[stage] ?? 0) + ms;
    }
  }
  return { sums, passes, engineMs: job.pages.reduce((a, p) => a + (p.engine_ms ?? 0), 0) };
}

/** `pdftotext -bbox-layout` over the whole file: the floor of reading a text layer with its boxes. */
async function pdftotextSeconds(path) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = now();
    await run('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', path, join(work, 'bbox.html')]);
    times.push((now() - t) / 1000);
  }
  return median(times);
}

async function bornDigitalRate(path, pages) {
  const service = await startService(join(work, 'rate'), SERVICE_ENV);
  try {
    // A first small job loads what a first request loads (modules, the engine pool).
    await untilDone(service.base, await post(service.base, path));
    const timed = async (wait) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const t = now();
        const job = await wait(service.base, await post(service.base, path));
        runs.push({ seconds: (job.doneAt - t) / 1000, withJson: (job.downloadedAt - t) / 1000, stages: stageSums(job) });
      }
      return runs;
    };
    // The event stream is how a client waits; polling every 25 ms is shown too: each poll reads the
    // growing job JSON while the pages are made, work the service does instead of making them.
    const runs = await timed(untilDoneByEvents);
    const polled = median((await timed(untilDone)).map((r) => r.seconds));
    const seconds = median(runs.map((r) => r.seconds));
    const withJson = median(runs.map((r) => r.withJson));
    const floor = await pdftotextSeconds(path);
    return { pages, seconds, rate: pages / seconds, withJson, polled, floorSeconds: floor, floorRate: pages / floor, ratio: floor / seconds, runs };
  } finally {
    service.child.kill('SIGTERM');
  }
}

/** POST, done, every format, DELETE on a fresh service; the node process's memory throughout. */
async function longDocument(kind, path, pages) {
  const service = await startService(join(work, `long-${kind}`), SERVICE_ENV);
  const memory = memorySampler(service.child.pid);
  try {
    const steps = {};
    let t = now();
    const job = await untilDone(service.base, await post(service.base, path));
    steps.process = (job.doneAt - t) / 1000;
    steps.withJson = (job.downloadedAt - t) / 1000;
    const peakProcessing = memory.mark();
    delete job.doneAt;
    delete job.downloadedAt;
    const exports = {};
    for (const format of FORMATS) {
      memory.step();
      t = now();
      const res = await fetch(`${service.base}/api/v1/ocr/${job.uuid}/download/?format=${format}`);
      let bytes = 0;
      for await (const chunk of res.body) bytes += chunk.length;
      exports[format] = { status: res.status, seconds: (now() - t) / 1000, bytes, peak: memory.step(), chunked: res.headers.get('transfer-encoding') === 'chunked' };
      if (res.status !== 200 && !(format === 'csv' && res.status === 409)) throw new Error(`${kind} ${format}: ${res.status}`);
    }
    t = now();
    const del = await fetch(`${service.base}/api/v1/ocr/${job.uuid}/`, { method: 'DELETE' });
    if (del.status !== 204) throw new Error(`${kind} DELETE: ${del.status}`);
    steps.delete = (now() - t) / 1000;
    return { kind, pages, inputBytes: statSync(path).size, steps, exports, peakProcessing, peak: memory.stop(), stages: stageSums(job) };
  } finally {
    memory.stop();
    service.child.kill('SIGTERM');
  }
}

mkdirSync(join(REPO, 'bench/out'), { recursive: true });
const ratePdf = join(work, `born-digital-${RATE_PAGES}.pdf`);
const bornPdf = join(work, `born-digital-${LONG_BORN}.pdf`);
const scannedPath = join(work, `scanned-${LONG_SCANNED}.pdf`);
bornDigitalPdf(ratePdf, RATE_PAGES);
bornDigitalPdf(bornPdf, LONG_BORN);
await scannedPdf(scannedPath, LONG_SCANNED);

const rate = await bornDigitalRate(ratePdf, RATE_PAGES);
console.log(`born-digital ${RATE_PAGES} pages: ${rate.rate.toFixed(1)} pages/s; pdftotext -bbox-layout ${rate.floorRate.toFixed(1)} pages/s; ratio ${rate.ratio.toFixed(2)}`);
const long = [];
for (const [kind, path, pages] of [
  ['born-digital', bornPdf, LONG_BORN],
  ['scanned', scannedPath, LONG_SCANNED],
]) {
  const result = await longDocument(kind, path, pages);
  long.push(result);
  console.log(`${kind} ${pages} pages: ${result.steps.process.toFixed(1)} s, peak ${mib(result.peak.sampled)} (VmHWM ${mib(result.peak.hwm)})`);
}
writeFileSync(join(REPO, 'bench/out/pdf-scale.json'), JSON.stringify({ date: new Date().toISOString(), cores: CORES, rate, long }, null, 2));

const STAGES = ['extract_ms', 'rasterise_ms', 'engine_wait_ms', 'recognition_ms', 'orientation_ms', 'model_ms', 'layout_ms', 'tables_ms', 'store_ms'];
const stageCell = (s, stage) => (s.sums[stage] === undefined ? '-' : `${(s.sums[stage] / 1000).toFixed(2)} s${stage === 'recognition_ms' ? ` (${s.passes} passes)` : ''}`);
const held = (r) => (r.peak.sampled < MEMORY_BOUND && r.peak.hwm < MEMORY_BOUND ? 'yes' : '**no**');
const lines = [
  '## PDFs at scale',
  '',
  `Made by \`node bench/pdf-scale.mjs\` (part of \`make bench-pdf\`) on ${new Date().toISOString().slice(0, 10)}; ${CORES} cores, \`OCR_WORKERS=${CORES}\`. Documents made reproducibly from the corpus by \`bench/lib/make-pdfs.mjs\` (born-digital: its printed pages' ground truth in Helvetica, 52 lines a page; scanned: its printed page images, bilevel 300 dpi).`,
  '',
  `Born-digital, ${RATE_PAGES} pages, POST to \`done\` (median of 3; \`done\` is the job's \`done\` event on GET /events): **${rate.rate.toFixed(1)} pages/s** (${rate.seconds.toFixed(2)} s; ${rate.withJson.toFixed(2)} s with the whole job JSON read after it); \`pdftotext -bbox-layout\` on the same file: ${rate.floorRate.toFixed(1)} pages/s (${rate.floorSeconds.toFixed(2)} s); ratio **${rate.ratio.toFixed(2)}x** (target: >= 100 pages/s and >= 0.35x). Waiting by polling the job every 25 ms instead (\`done\` when a poll's first bytes say so; each poll reads the growing job JSON while its pages are made): ${(RATE_PAGES / rate.polled).toFixed(1)} pages/s (${rate.polled.toFixed(2)} s), ratio ${(rate.floorSeconds / rate.polled).toFixed(2)}x.`,
  '',
  `Long documents through POST, every format and DELETE on a fresh service; peak resident memory of the node process (sampled every 50 ms / kernel VmHWM), bound ${mib(MEMORY_BOUND)}:`,
  '',
  '| document | input | POST to done | pages/s | with the job JSON read | peak while processing | peak overall | under bound | DELETE |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...long.map(
    (r) =>
      `| ${r.kind}, ${r.pages} pages | ${mib(r.inputBytes)} | ${r.steps.process.toFixed(1)} s | ${(r.pages / r.steps.process).toFixed(1)} | ${r.steps.withJson.toFixed(1)} s | ${mib(r.peakProcessing)} | ${mib(r.peak.sampled)} / ${mib(r.peak.hwm)} | ${held(r)} | ${r.steps.delete.toFixed(2)} s |`,
  ),
  '',
  'Exports of the long documents (first download: written page by page into the export cache where the format allows, then streamed out; seconds / size / peak resident memory of the node process during that download):',
  '',
  `| document | ${FORMATS.join(' | ')} |`,
  `| --- | ${FORMATS.map(() => '---').join(' | ')} |`,
  ...long.map((r) => `| ${r.kind} | ${FORMATS.map((f) => (r.exports[f].status === 200 ? `${r.exports[f].seconds.toFixed(2)} s / ${mib(r.exports[f].bytes)} / ${mib(r.exports[f].peak)}` : `${r.exports[f].status} / ${mib(r.exports[f].peak)}`)).join(' | ')} |`),
  '',
  'Where the time goes: the pages\' `timings` summed per stage (wall time per page, so with several workers the sums exceed the elapsed time; `extract_ms` is the wait for the page to come out of the document\'s `pdftotext`, and its parse):',
  '',
  `| document | ${STAGES.join(' | ')} | engine_ms |`,
  `| --- | ${STAGES.map(() => '---').join(' | ')} | --- |`,
  `| born-digital, ${RATE_PAGES} pages (one run) | ${STAGES.map((s) => stageCell(rate.runs[0].stages, s)).join(' | ')} | ${(rate.runs[0].stages.engineMs / 1000).toFixed(2)} s |`,
  ...long.map((r) => `| ${r.kind}, ${r.pages} pages | ${STAGES.map((s) => stageCell(r.stages, s)).join(' | ')} | ${(r.stages.engineMs / 1000).toFixed(2)} s |`),
  '',
];
writeResults(lines.join('\n'));
console.log(lines.join('\n'));
