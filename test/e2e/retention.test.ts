import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

describe('retention', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ RETENTION_HOURS: '0', RETENTION_SWEEP_SECONDS: '1' });
  });
  after(async () => server.stop());

  it("keeps the upload as the job's source, and deletes both after the retention period", async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif') });
    const job = (await res.json()) as { uuid: string; status: string };
    assert.equal(job.status, 'done');
    const sources = join(server.dataDir, 'blobs', 'sources');
    assert.deepEqual(readdirSync(sources), [job.uuid]);
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`)).status;
    }
    assert.equal(status, 404);
    const results = join(server.dataDir, 'blobs', 'results');
    assert.deepEqual(readdirSync(results), []);
    assert.deepEqual(readdirSync(sources), []);
  });
});
