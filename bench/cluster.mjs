#!/usr/bin/env node
// The cluster against standalone on the same corpus, in one script (issue 9's scale targets):
//  - pages per second through the cluster gateway with 1 and with 2 cpu-ocr workers (OCR_WORKERS=1 each),
//  - the same documents through standalone with OCR_WORKERS=2 (the same two engines),
//  - the one-page POST overhead of the cluster over standalone (median of alternating rounds).
// Targets: 2 workers >= 1.8x one worker; cluster at 2 workers >= 0.9x standalone; overhead < 150 ms.
// Writes bench/out/cluster.json and prints a Markdown table for bench/RESULTS.md.
// Needs `make build` and the cluster servers (`make cluster-servers`). Metering off on both shapes,
// so the figures compare the work, not the ledger.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusDocuments } from './lib/corpus.mjs';
import { pool, post, startService } from './lib/process.mjs';

const REPO = resolve(new URL('..', import.meta.url).pathname);
const { startCluster } = await import(join(REPO, 'test/dist/support/cluster.js'));
const { startClusterServers } = await import(join(REPO, 'test/dist/support/cluster-servers.js'));

const now = () => performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// Not LOG_LEVEL=warn: the launchers wait for each process's info-level ready line.
const COMMON = { METERING: 'false' };


/** Every document, two in flight at a time (as bench/run.mjs does); pages per second of wall time. */
async function throughput(base, docs) {
  const pages = docs.reduce((n, d) => n + d.pages, 0);
  const t0 = now();
  await pool(docs, 2, (doc) => post(base, doc.path, { language: doc.languages }));
  return pages / ((now() - t0) / 1000);
}

const docs = corpusDocuments();
const onePage = docs.find((d) => /tess_phototest\.tif/.test(d.name));
console.error(`bench cluster: ${docs.length} documents, ${docs.reduce((n, d) => n + d.pages, 0)} pages`);

// Standalone with two engines.
const dataDir = mkdtempSync(join(tmpdir(), 'bench-standalone-'));
const standalone = await startService(dataDir, { ...COMMON, OCR_WORKERS: '2' });
await post(standalone.base, onePage.path, { language: 'eng' });
const standalonePps = await throughput(standalone.base, docs);
console.error(`standalone: ${standalonePps.toFixed(3)} pages/s`);

// The cluster: servers once, services with 1 worker, then a second worker added.
const servers = await startClusterServers();
const cluster = await startCluster({ servers, cpuWorkers: 1, env: COMMON });
await post(cluster.baseUrl, onePage.path, { language: 'eng' });
const oneWorkerPps = await throughput(cluster.baseUrl, docs);
console.error(`cluster, 1 worker: ${oneWorkerPps.toFixed(3)} pages/s`);
await cluster.addCpuWorker();
// The new worker joins the consumer group: let the rebalance settle before measuring.
await new Promise((r) => setTimeout(r, 10_000));
const twoWorkerPps = await throughput(cluster.baseUrl, docs);
console.error(`cluster, 2 workers: ${twoWorkerPps.toFixed(3)} pages/s`);

// One-page overhead: POSTs alternate between the shapes, the machine's drift hits both alike.
const diffs = [];
const times = { standalone: [], cluster: [] };
for (let i = 0; i < ROUNDS; i++) {
  let t = now();
  await post(standalone.base, onePage.path, { language: 'eng' });
  times.standalone.push(now() - t);
  t = now();
  await post(cluster.baseUrl, onePage.path, { language: 'eng' });
  times.cluster.push(now() - t);
  diffs.push(times.cluster[i] - times.standalone[i]);
}
await cluster.stop();
await servers.stop();
standalone.child.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });

const results = {
  date: new Date().toISOString(),
  standalone_pages_per_s: standalonePps,
  cluster_1_worker_pages_per_s: oneWorkerPps,
  cluster_2_workers_pages_per_s: twoWorkerPps,
  scale_2_over_1: twoWorkerPps / oneWorkerPps,
  cluster_over_standalone: twoWorkerPps / standalonePps,
  one_page_ms: { standalone: median(times.standalone), cluster: median(times.cluster), overhead: median(diffs) },
};
mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/cluster.json'), JSON.stringify(results, null, 2));
const md = [
  '| run | pages/s | ratio | target |',
  '| --- | --- | --- | --- |',
  `| standalone, OCR_WORKERS=2 | ${standalonePps.toFixed(3)} | 1.00 | |`,
  `| cluster, 1 cpu-ocr worker | ${oneWorkerPps.toFixed(3)} | ${(oneWorkerPps / standalonePps).toFixed(2)}x | |`,
  `| cluster, 2 cpu-ocr workers | ${twoWorkerPps.toFixed(3)} | ${results.cluster_over_standalone.toFixed(2)}x | >= 0.9x standalone |`,
  `| 2 workers over 1 | | **${results.scale_2_over_1.toFixed(2)}x** | >= 1.8x |`,
  '',
  `One-page POST (median of ${ROUNDS}): standalone ${results.one_page_ms.standalone.toFixed(0)} ms, cluster ${results.one_page_ms.cluster.toFixed(0)} ms, overhead **${results.one_page_ms.overhead.toFixed(0)} ms** (target < 150 ms).`,
];
console.log(md.join('\n'));
