import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntilFinished, submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { multiPageTiff } from '../support/multi-page-tiff';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('restart resumes unfinished jobs', () => {
  let dir: string;
  let dataDir: string;
  let server: TestServer | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-resume-'));
    dataDir = join(dir, 'data');
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every page of a job whose process was killed mid-way', async () => {
    const file = await multiPageTiff(dir, 8);
    server = await startServer({ OCR_WORKERS: '1' }, dataDir);
    const res = await submit(server.baseUrl, { file, fields: { language: 'eng' } });
    assert.equal(res.status, 202);
    const job = (await res.json()) as Json;
    assert.equal(job.page_count, 8);
    // Wait for some progress, then crash the process.
    for (;;) {
      const now = (await (await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`)).json()) as Json;
      if (now.pages_done >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.kill();
    server = await startServer({ OCR_WORKERS: '2' }, dataDir);
    const done = await pollUntilFinished(server.baseUrl, job.uuid);
    assert.equal(done['status'], 'done');
    assert.equal(done['pages_done'], 8);
    for (const page of done['pages'] as Json[]) assert.match(page.text, /quick brown dog/);
  });
});
