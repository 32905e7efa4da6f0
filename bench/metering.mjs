#!/usr/bin/env node
// What metering costs a request: the same one-page POST, alternating between two standalone
// services that differ only in METERING (true / false), each on its own data directory whose
// ledger is pre-filled with other owners' entries. Also the metering calls alone, in process.
// Usage: node bench/metering.mjs [rounds]   (build first: npx tsc -b tsconfig.json)
// Appends (or replaces) the "Metering overhead" section of bench/RESULTS.md.
import { writeResults } from './lib/results.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService as startStandalone } from './lib/process.mjs';

const REPO = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const ROUNDS = Number(process.argv[2] ?? 100);
const SEED_ENTRIES = 20_000;
const work = mkdtempSync(join(tmpdir(), 'ocr-bench-metering-'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Other tenants' history, so the ledger is not trivially empty (read once at start). */
function seedLedger(dataDir) {
  mkdirSync(join(dataDir, 'ledger'), { recursive: true });
  const at = new Date().toISOString();
  const lines = [];
  for (let i = 0; i < SEED_ENTRIES / 3; i++) {
    const base = { owner: `acct:seed-${i % 500}`, bucket: `month:${at.slice(0, 7)}`, tier: 'cpu', job_uuid: `seed-${i}`, idempotency_key: null, note: null, at };
    lines.push({ ...base, kind: 'hold', credits: -1, pages: 1 }, { ...base, kind: 'release', credits: 1, pages: 1 }, { ...base, kind: 'charge', credits: -1, pages: 1 });
  }
  writeFileSync(join(dataDir, 'ledger', 'ledger.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function startService(name, env) {
  const dataDir = join(work, name);
  seedLedger(dataDir);
  const { child, base } = await startStandalone(dataDir, { OCR_WORKERS: '1', FREE_MONTHLY_PAGES: '1000000', ...env });
  // A free account (the plan whose bucket is checked on every request) and its token, made by the operator CLI.
  const out = execFileSync(process.execPath, [join(REPO, 'apps/standalone/dist/cli/accounts.js'), 'create', `bench-${name}@example.org`, '--plan', 'free', '--token'], {
    env: { ...process.env, DATA_DIR: dataDir },
  }).toString();
  return { child, base, token: out.trim().split('\n').pop() };
}

const CORPUS = process.env.CORPUS_DIR ?? join(REPO, '../shared/corpus');
const TEXT_PDF = join(CORPUS, 'tables/icdar2013_eu-010.pdf');

/**
 * The request's own work should be small and steady, or its jitter drowns the few milliseconds
 * measured (an OCRed page varies by tens of milliseconds between runs): a one-page PDF with a text
 * layer is read without OCR. Without the corpus, a small rendered line of text (OCRed).
 */
async function smallPage() {
  if (existsSync(TEXT_PDF)) return { bytes: readFileSync(TEXT_PDF), name: 'page.pdf', what: '`tables/icdar2013_eu-010.pdf`, one page with a text layer, read without OCR' };
  const sharp = require(join(REPO, 'node_modules/sharp'));
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="80"><rect width="100%" height="100%" fill="white"/>' +
    '<text x="20" y="52" font-family="DejaVu Sans, sans-serif" font-size="36">Invoice 42: total 215.00</text></svg>';
  return { bytes: await sharp(Buffer.from(svg)).greyscale().png().toBuffer(), name: 'page.png', what: 'a 600x80 PNG line of text, OCRed' };
}
const PAGE = await smallPage();

async function post(service) {
  const form = new FormData();
  form.append('file', new Blob([PAGE.bytes]), PAGE.name);
  form.append('language', 'eng');
  const started = performance.now();
  const res = await fetch(`${service.base}/api/v1/ocr/`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${service.token}` } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
  return performance.now() - started;
}

/** reserve + settle + allowance, as one request does them, against the JSONL ledger. */
async function inProcess() {
  const { MeteringService, plansFromSettings } = require(join(REPO, 'libs/accounts/dist/index.js'));
  const { JsonlLedgerStore } = require(join(REPO, 'libs/adapters-embedded/dist/index.js'));
  const dir = join(work, 'in-process');
  seedLedger(dir);
  const meter = new MeteringService(new JsonlLedgerStore(join(dir, 'ledger', 'ledger.jsonl')), { cpu: 1, vlm: 5 });
  const plans = plansFromSettings({ ANON_DAILY_PAGES: 0, ANON_MAX_PAGES_PER_FILE: 1, FREE_MONTHLY_PAGES: 1e9, FREE_MAX_PAGES_PER_FILE: 10, PAID_MAX_PAGES_PER_FILE: 10 });
  await meter.allowance('acct:bench', plans.free); // the start-up read of the seeded ledger, not counted
  const n = 2000;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    await meter.reserve({ owner: 'acct:bench', plan: plans.free, tier: 'cpu', pages: 1, jobUuid: `j${i}`, idempotencyKey: null });
    await meter.settle({ uuid: `j${i}`, pages_done: 1 });
    meter.allowanceNow('acct:bench', plans.free);
  }
  return (performance.now() - started) / n;
}

try {
  const metered = await startService('metered', { METERING: 'true' });
  const unmetered = await startService('unmetered', { METERING: 'false' });
  for (let i = 0; i < 3; i++) await Promise.all([post(metered), post(unmetered)].map((p) => p.catch((e) => Promise.reject(e))));
  const on = [];
  const off = [];
  const diffsMeteredFirst = [];
  const diffsMeteredSecond = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first: the second request of a pair is systematically faster or slower
    // (engine and caches warm), so each order gets its own median and the two are averaged.
    if (r % 2) {
      const a = await post(metered);
      const b = await post(unmetered);
      on.push(a);
      off.push(b);
      diffsMeteredFirst.push(a - b);
    } else {
      const b = await post(unmetered);
      const a = await post(metered);
      on.push(a);
      off.push(b);
      diffsMeteredSecond.push(a - b);
    }
  }
  const diffs = [...diffsMeteredFirst, ...diffsMeteredSecond];
  const quartile = (xs, q) => [...xs].sort((x, y) => x - y)[Math.floor(q * (xs.length - 1))];
  metered.child.kill('SIGTERM');
  unmetered.child.kill('SIGTERM');
  const perRequest = await inProcess();
  const result = {
    date: new Date().toISOString().slice(0, 10),
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? '?',
    rounds: ROUNDS,
    on: median(on),
    off: median(off),
    diff: (median(diffsMeteredFirst) + median(diffsMeteredSecond)) / 2,
    diffFirst: median(diffsMeteredFirst),
    diffSecond: median(diffsMeteredSecond),
    q1: quartile(diffs, 0.25),
    q3: quartile(diffs, 0.75),
    inProcessMs: perRequest,
  };
  const md = [
    '## Metering overhead',
    '',
    `Made by \`node bench/metering.mjs ${ROUNDS}\` on ${result.date}; ${result.cores} cores (${result.cpu.trim()}).`,
    `The same one-page POST (${PAGE.what}; language eng; a free account's token), alternating between two services that differ only in \`METERING\`,`,
    `each with ${SEED_ENTRIES} other entries in its ledger; ${ROUNDS} rounds, the order flipped every round.`,
    '',
    '| | POST latency (median) |',
    '| --- | --- |',
    `| METERING=false | ${result.off.toFixed(1)} ms |`,
    `| METERING=true | ${result.on.toFixed(1)} ms |`,
    `| difference, metered minus unmetered in the same round (target < 5 ms) | **${result.diff.toFixed(1)} ms** (ratio of medians ${(result.on / result.off).toFixed(3)}) |`,
    '',
    `The difference is the mean of two medians of per-round differences, one per order (metered first: ${result.diffFirst.toFixed(1)} ms, ` +
      `metered second: ${result.diffSecond.toFixed(1)} ms), which cancels the order effect; the per-round differences' interquartile range is ` +
      `${result.q1.toFixed(1)} to ${result.q3.toFixed(1)} ms (the noise of one request on a shared 2-core machine).`,
    '',
    `The metering calls alone (reserve and settle: two ledger appends, each read back, and the allowance), in process on the same seeded ledger: **${result.inProcessMs.toFixed(3)} ms** per request (mean of 2000).`,
    '',
  ].join('\n');
  writeResults(md);
  console.log(md);
} finally {
  rmSync(work, { recursive: true, force: true });
}
