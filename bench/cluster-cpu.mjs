#!/usr/bin/env node
// Where the cluster's CPU goes: starts the servers and the services (CPU_OCR_PROCESSES cpu-ocr
// workers, 2 by default, each OCR_WORKERS=1), submits the corpus (the documents bench/cluster.mjs
// uses, two in flight), and reads every process's CPU time from /proc/<pid>/stat (utime + stime,
// plus cutime + cstime: the tesseract and poppler children a worker waited for) before and after.
// Then the same over IDLE_SECONDS of an idle cluster (what polling costs when nothing happens).
// CPU seconds hold up on a busy machine where wall time does not: the table is CPU seconds per
// page per process, and the share of the whole that is not the workers' OCR.
// Usage: node bench/cluster-cpu.mjs   (needs `make build` and `make cluster-servers`)
//   BENCH_DOCS=3 keeps the first documents only (a check of the script); IDLE_SECONDS=60;
//   BENCH_STANDALONE=1 also runs the same documents through standalone (OCR_WORKERS=2) first and
//   prints its CPU seconds per page, the same work without the cluster around it;
//   writes bench/out/cluster-cpu.json and prints a Markdown table.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusDocuments } from './lib/corpus.mjs';
import { pool, post, processCpuSeconds, startService } from './lib/process.mjs';

const REPO = resolve(new URL('..', import.meta.url).pathname);
const { startCluster } = await import(join(REPO, 'test/dist/support/cluster.js'));
const { startClusterServers } = await import(join(REPO, 'test/dist/support/cluster-servers.js'));

const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const CPU_WORKERS = Number(process.env.CPU_OCR_PROCESSES ?? 2);
const COMMON = { METERING: 'false' };

/** CPU seconds of a process so far: its own and its reaped children's (NaN once it has gone). */
const cpuOf = (pid) => processCpuSeconds(pid) ?? { own: NaN, children: NaN };

function snapshot(procs) {
  const out = {};
  for (const [name, pid] of Object.entries(procs)) out[name] = cpuOf(pid);
  const self = process.cpuUsage();
  out['bench client'] = { own: (self.user + self.system) / 1e6, children: 0 };
  return out;
}

function diff(after, before) {
  const out = {};
  for (const name of Object.keys(after)) {
    out[name] = { own: after[name].own - before[name].own, children: after[name].children - before[name].children };
  }
  return out;
}


const all = corpusDocuments();
const docs = process.env.BENCH_DOCS ? all.slice(0, Number(process.env.BENCH_DOCS)) : all;
const pages = docs.reduce((n, d) => n + d.pages, 0);
const onePage = all.find((d) => /tess_phototest\.tif/.test(d.name));
console.error(`cluster cpu: ${docs.length} documents, ${pages} pages, ${CPU_WORKERS} cpu-ocr workers`);

// The same documents through standalone: its CPU per page is the work itself, for comparison.
let standalone = null;
if (process.env.BENCH_STANDALONE === '1') {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cpu-standalone-'));
  const service = await startService(dataDir, { ...COMMON, OCR_WORKERS: '2' });
  try {
    await post(service.base, onePage.path, { language: 'eng' });
    const before = cpuOf(service.child.pid);
    const t0 = performance.now();
    await pool(docs, 2, (doc) => post(service.base, doc.path, { language: doc.languages }));
    const wall = (performance.now() - t0) / 1000;
    const after = cpuOf(service.child.pid);
    standalone = { own: after.own - before.own, children: after.children - before.children, wall_s: wall };
  } finally {
    service.child.kill('SIGTERM');
    await new Promise((r) => service.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.error(`standalone: ${((standalone.own + standalone.children) / pages).toFixed(3)} CPU s per page`);
}

const servers = await startClusterServers();
const cluster = await startCluster({ servers, cpuWorkers: CPU_WORKERS, env: COMMON });
let result;
try {
  const procs = {
    kafka: servers.kafka.process.pid,
    ferretdb: servers.mongo.process.pid,
    [process.env.S3_SERVER === 'minio' ? 'minio' : 's3proxy']: servers.s3.process.pid,
  };
  for (const s of cluster.services) procs[s.name] = s.pid;
  // Warm up (engines, connections, JIT), then let the consumer group settle.
  await post(cluster.baseUrl, onePage.path, { language: 'eng' });
  await new Promise((r) => setTimeout(r, 5_000));

  const t0 = performance.now();
  const before = snapshot(procs);
  await pool(docs, 2, (doc) => post(cluster.baseUrl, doc.path, { language: doc.languages }));
  const work = diff(snapshot(procs), before);
  const wallS = (performance.now() - t0) / 1000;
  console.error(`workload: ${pages} pages in ${wallS.toFixed(1)} s; idle for ${IDLE_SECONDS} s`);

  const idleBefore = snapshot(procs);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idle = diff(snapshot(procs), idleBefore);
  result = { date: new Date().toISOString(), documents: docs.length, pages, cpu_workers: CPU_WORKERS, wall_s: wallS, idle_s: IDLE_SECONDS, work, idle, standalone };
} finally {
  await cluster.stop();
  await servers.stop();
}

mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/cluster-cpu.json'), JSON.stringify(result, null, 2));

const isWorker = (name) => name.startsWith('cpu-ocr');
const total = (xs) => Object.values(xs).reduce((n, c) => n + c.own + c.children, 0);
const ocr = Object.entries(result.work).filter(([n]) => isWorker(n)).reduce((n, [, c]) => n + c.children, 0);
const rows = Object.entries(result.work)
  .sort((a, b) => b[1].own + b[1].children - (a[1].own + a[1].children))
  .map(([name, c]) => {
    const sum = c.own + c.children;
    const idleS = result.idle[name].own + result.idle[name].children;
    return `| ${name} | ${c.own.toFixed(2)} | ${c.children.toFixed(2)} | ${(sum / pages).toFixed(3)} | ${((idleS / IDLE_SECONDS) * 100).toFixed(1)} % |`;
  });
const workTotal = total(result.work);
const md = [
  `${pages} pages (${docs.length} documents, two in flight), ${CPU_WORKERS} cpu-ocr workers; wall ${result.wall_s.toFixed(1)} s (${(pages / result.wall_s).toFixed(3)} pages/s, not robust on a busy machine).`,
  '',
  '| process | own CPU s | children CPU s | CPU s per page | idle CPU (of one core) |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  `| **all** | | | **${(workTotal / pages).toFixed(3)}** | ${((total(result.idle) / IDLE_SECONDS) * 100).toFixed(1)} % |`,
  '',
  `OCR children (tesseract, poppler) of the workers: ${ocr.toFixed(1)} s of ${workTotal.toFixed(1)} s; everything else: ${(((workTotal - ocr) / workTotal) * 100).toFixed(0)} %.`,
  ...(standalone
    ? [
        `Standalone (OCR_WORKERS=2) on the same documents: ${((standalone.own + standalone.children) / pages).toFixed(3)} CPU s per page (own ${standalone.own.toFixed(2)} s, children ${standalone.children.toFixed(2)} s; wall ${standalone.wall_s.toFixed(1)} s, ${(pages / standalone.wall_s).toFixed(3)} pages/s); the cluster spends ${((workTotal - standalone.own - standalone.children) / pages).toFixed(3)} s per page more.`,
      ]
    : []),
];
console.log(md.join('\n'));
