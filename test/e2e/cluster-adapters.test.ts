import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath } from '../support/corpus';
import { auth, pollUntilFinished, submit } from '../support/http';
import { MAKE_TOKEN, startServer, type TestServer } from '../support/server';
import { startClusterServers, type ClusterServers } from '../support/cluster-servers';
import { multiPageTiff } from '../support/multi-page-tiff';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The standalone process on the cluster adapters (MongoDB via FerretDB, S3 via s3proxy, Kafka):
 * the same API answers the same way, and a process killed mid-job loses nothing and counts
 * nothing twice (Kafka redelivers its uncommitted pages, the restart republishes the rest).
 */
describe('standalone on the cluster adapters', () => {
  let servers: ClusterServers;
  let dir: string;
  let server: TestServer | undefined;
  const env = (): Record<string, string> => ({
    ...servers.env,
    JOB_STORE: 'mongodb',
    BLOB_STORE: 's3',
    TASK_BUS: 'kafka',
    KAFKA_PARTITIONS: '4',
    KAFKA_SESSION_TIMEOUT_MS: '3000',
    OCR_WORKERS: '1',
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-cluster-e2e-'));
    servers = await startClusterServers();
  }, { timeout: 600_000 });
  after(async () => {
    await server?.stop();
    await servers?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a one-page POST inline and serves its export from S3', async () => {
    server = await startServer(env(), join(dir, 'a'));
    // `make token` writes the token to MongoDB, where the running service finds it.
    const out = execFileSync(process.execPath, [MAKE_TOKEN, 'cluster-e2e'], { env: { ...process.env, ...env(), DATA_DIR: join(dir, 'a') } });
    const token = out.toString().trim().split('\n').pop() ?? '';
    assert.match(token, /^ocr_[A-Za-z0-9_-]{20,}$/);
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token, fields: { language: 'eng' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.pages_done, 1);
    assert.match(job.pages[0].text, /quick brown dog/);
    const txt = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=txt`, { headers: auth(token) });
    assert.equal(txt.status, 200);
    assert.match(await txt.text(), /quick brown dog/);
    const gone = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { method: 'DELETE', headers: auth(token) });
    assert.ok(gone.status < 300, `delete answered ${gone.status}`);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { headers: auth(token) })).status, 404);
  });

  it('finishes a job whose process was killed mid-way, each page once', { timeout: 900_000 }, async () => {
    await server?.stop();
    const file = await multiPageTiff(dir, 6);
    const dataDir = join(dir, 'b');
    server = await startServer(env(), dataDir);
    const res = await submit(server.baseUrl, { file, fields: { language: 'eng' } });
    assert.equal(res.status, 202);
    const job = (await res.json()) as Json;
    for (;;) {
      const now = (await (await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`)).json()) as Json;
      if (now.pages_done >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.kill();
    server = await startServer(env(), dataDir);
    const done = await pollUntilFinished(server.baseUrl, job.uuid);
    assert.equal(done['status'], 'done');
    assert.equal(done['pages_done'], 6);
    assert.equal(done['pages_failed'], 0);
    const pages = done['pages'] as Json[];
    assert.deepEqual(pages.map((p) => p.page ?? p.index), [...new Set(pages.map((p) => p.page ?? p.index))]);
    assert.equal(pages.length, 6);
    for (const page of pages) assert.match(page.text, /quick brown dog/);
  });
});
