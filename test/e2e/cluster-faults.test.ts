// Faults of the cluster shape, each with its outcome asserted: a cpu-ocr worker killed in the middle
// of a page (the page is redelivered to the other worker, every page once, charged once), and a
// worker started mid-run (it takes a share of the pages), and a stopped broker, database or object
// store (503 with Retry-After, never 500 or a hang, then recovery).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../support/corpus';
import { auth, submit } from '../support/http';
import { startCluster, type Cluster, type ServiceProcess } from '../support/cluster';
import type { ServerProcess } from '../support/cluster-servers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ONE_PAGE = 'printed/tess_phototest.tif';
/** Four scanned pages: long enough to kill a worker in the middle of one. */
const SCANNED = 'pdf/ocrmypdf_cardinal.pdf';

/** The tesseract processes the worker runs now: reading a page, or warm (kept between pages). */
function tesseractChildren(worker: ServiceProcess): number[] {
  if (!worker.pid) return [];
  try {
    const out = execFileSync('ps', ['--ppid', String(worker.pid), '-o', 'pid=,comm='], { encoding: 'utf8' });
    return out
      .split('\n')
      .filter((l) => /tesseract/.test(l))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
  } catch {
    return []; // ps exits 1 when there is no child
  }
}

/** CPU ticks a process has used (utime + stime of /proc/PID/stat), null once it is gone. */
function cpuTicks(pid: number): number | null {
  try {
    // The command name in parentheses may hold spaces: the fields are counted after it.
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * The pid of a tesseract process of the worker that is reading a page now (its CPU time grows over
 * a moment), if any: warm processes outlive their pages, so a child alone does not say the worker
 * is busy (the previous test's left the first worker "mid-page" before any page was sent).
 */
async function readingTesseract(worker: ServiceProcess): Promise<number | null> {
  const before = new Map(tesseractChildren(worker).map((pid) => [pid, cpuTicks(pid)]));
  if (before.size === 0) return null;
  await new Promise((r) => setTimeout(r, 250));
  for (const [pid, ticks] of before) {
    const now = cpuTicks(pid);
    if (ticks !== null && now !== null && now > ticks) return pid;
  }
  return null;
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cluster faults', () => {
  let cluster: Cluster;
  let token: string;

  before(async () => {
    // Short deadlines so a dependency that is down answers 503 quickly; two workers, one page each.
    cluster = await startCluster({ env: { GRPC_DEADLINE_SECONDS: '5', RETRY_AFTER_SECONDS: '3' }, cpuWorkers: 2 });
    token = cluster.makeToken('faults', 'fault-tester');
  });
  after(async () => cluster?.stop());

  it('redelivers the page of a cpu-ocr worker killed mid-page to the other worker: every page once, charged once', async () => {
    const workers = cluster.services.filter((s) => s.kind === 'cpu-ocr');
    assert.equal(workers.length, 2);
    const posted = submit(cluster.baseUrl, { file: corpusPath(SCANNED), token, fields: { language: 'en' } });
    // Whichever worker the broker gave the pages to is found by its running tesseract.
    const [victim, engine] = await until(
      'a worker in the middle of a page',
      async () => {
        for (const w of workers) {
          const pid = await readingTesseract(w);
          if (pid) return [w, pid] as const;
        }
        return null;
      },
      180_000,
    );
    await victim.kill();
    try {
      process.kill(engine, 'SIGKILL');
    } catch {
      /* it finished on its own */
    }
    const res = await posted;
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.page_count, 4);
    assert.equal(job.pages_done, 4);
    assert.deepEqual((job.pages as Json[]).map((p) => p.index), [0, 1, 2, 3]);
    assert.ok((job.pages as Json[]).every((p) => p.status === 'done'));
    const survivor = workers.find((w) => w !== victim)!;
    assert.ok(survivor.isRunning);
    const usage = (await (await fetch(`${cluster.baseUrl}/api/v1/account/usage/`, { headers: auth(token) })).json()) as Json;
    const charged = (usage.days as Json[]).reduce((n, d) => n + (d.pages as number), 0);
    assert.equal(charged, 4, `charged ${charged} pages for a 4-page job`);
  });

  it('gives a worker started while documents are being read a share of their pages (consumer group rebalance)', async () => {
    const running = cluster.services.filter((s) => s.kind === 'cpu-ocr' && s.isRunning);
    assert.equal(running.length, 1, 'one worker left after the kill');
    const posts = ['pdf/ocrmypdf_cardinal.pdf', 'pdf/ehri_EHRI-BF-19380509b_EN.pdf'].map((f) =>
      submit(cluster.baseUrl, { file: corpusPath(f), token, fields: { language: 'en' } }).then(async (r) => ({ status: r.status, job: (await r.json()) as Json })),
    );
    await until('the first worker in the middle of a page', () => readingTesseract(running[0]!), 180_000);
    const added = await cluster.addCpuWorker();
    let tookAPage = false;
    let settled = false;
    const all = Promise.all(posts).finally(() => {
      settled = true;
    });
    while (!settled && !tookAPage) {
      tookAPage = (await readingTesseract(added)) !== null;
    }
    const results = await all;
    assert.ok(tookAPage, 'the worker started mid-run read none of the pages');
    for (const { status, job } of results) {
      assert.equal(status, 200);
      assert.equal(job.status, 'done');
      assert.equal(job.pages_done, job.page_count);
      assert.deepEqual((job.pages as Json[]).map((p) => p.index), [...Array(job.page_count as number).keys()]);
    }
  });

  for (const [name, server] of [
    ['object store', (c: Cluster): ServerProcess => c.servers.s3.process],
    ['database', (c: Cluster): ServerProcess => c.servers.mongo.process],
    ['broker', (c: Cluster): ServerProcess => c.servers.kafka.process],
  ] as const) {
    it(`answers 503 with Retry-After while the ${name} is stopped, and serves again once it is back`, async () => {
      const proc = server(cluster);
      await proc.stop();
      try {
        const started = Date.now();
        const res = await submit(cluster.baseUrl, { file: corpusPath(ONE_PAGE), token });
        const body = (await res.json()) as Json;
        assert.equal(res.status, 503, JSON.stringify(body));
        assert.equal(body.error, 'unavailable');
        assert.equal(res.headers.get('retry-after'), '3');
        assert.ok(Date.now() - started < 60_000, 'answered within a minute');
      } finally {
        await proc.start();
      }
      const job = await until(
        `a finished job after the ${name} is back`,
        async () => {
          const res = await submit(cluster.baseUrl, { file: corpusPath(ONE_PAGE), token });
          if (res.status === 503) {
            await new Promise((r) => setTimeout(r, 2000));
            return null;
          }
          return (await res.json()) as Json;
        },
        180_000,
      );
      assert.equal(job.status, 'done');
      assert.match(job.text, /quick brown dog/);
    });
  }
});
