import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore, JobRecord, JobStore, PageTask, TaskBus } from '@ocr/domain';
import { InProcessTaskBus, LocalBlobStore, NedbJobStore } from '@ocr/adapters-embedded';

/**
 * One contract per port, run against every adapter we have (today the embedded ones;
 * the cluster adapters join these lists and must pass the same assertions).
 */
const dir = mkdtempSync(join(tmpdir(), 'ocr-ports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function job(uuid: string, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    uuid,
    owner: 'acct:a',
    status: 'pending',
    options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null },
    input_kind: 'png',
    upload_key: `uploads/${uuid}`,
    original_filename: 'a.png',
    page_count: 2,
    pages_done: 0,
    pages_failed: 0,
    error: null,
    warnings: [],
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    ...patch,
  };
}

const jobStores: Array<[string, () => Promise<JobStore>]> = [
  ['NedbJobStore', () => NedbJobStore.open(join(dir, `db-${Math.random()}`))],
];

for (const [name, open] of jobStores) {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    before(async () => {
      store = await open();
    });

    it('stores, reads, updates and deletes jobs', async () => {
      await store.insertJob(job('j1'));
      assert.equal((await store.getJob('j1'))?.status, 'pending');
      const updated = await store.updateJob('j1', { status: 'processing' });
      assert.equal(updated?.status, 'processing');
      assert.equal(updated?.owner, 'acct:a');
      assert.equal(await store.getJob('missing'), null);
      await store.deleteJob('j1');
      assert.equal(await store.getJob('j1'), null);
    });

    it('keeps one page per (job, index) and counts outcomes atomically', async () => {
      await store.insertJob(job('j2', { page_count: 50 }));
      const page = { job_uuid: 'j2', index: 0, status: 'pending' as const, attempts: 0, error: null, content_key: null, engine_ms: null, finished_at: null };
      await store.putPage(page);
      await store.putPage({ ...page, status: 'done' });
      await store.putPage({ ...page, index: 1 });
      const pages = await store.listPages('j2');
      assert.deepEqual(pages.map((p) => [p.index, p.status]), [[0, 'done'], [1, 'pending']]);
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.countPageOutcome('j2', i % 5 === 0 ? 'failed' : 'done')));
      const counted = await store.getJob('j2');
      assert.equal(counted?.pages_done, 40);
      assert.equal(counted?.pages_failed, 10);
      await store.deletePages('j2');
      assert.deepEqual(await store.listPages('j2'), []);
    });

    it('lists unfinished jobs and finished ones by age', async () => {
      await store.insertJob(job('old', { status: 'done', finished_at: '2020-01-01T00:00:00.000Z' }));
      await store.insertJob(job('new', { status: 'failed', finished_at: '2999-01-01T00:00:00.000Z' }));
      await store.insertJob(job('run', { status: 'processing' }));
      const unfinished = (await store.listUnfinishedJobs()).map((j) => j.uuid);
      assert.ok(unfinished.includes('run') && !unfinished.includes('old'));
      const expired = (await store.listFinishedBefore(new Date().toISOString())).map((j) => j.uuid);
      assert.deepEqual(expired, ['old']);
    });

    it('lists one owner\'s jobs newest first, a page at a time', async () => {
      const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
      for (const [uuid, minute] of [['o1', 1], ['o2', 2], ['o3b', 3], ['o3a', 3], ['o4', 4]] as const) {
        await store.insertJob(job(uuid, { owner: 'acct:lister', created_at: at(minute) }));
      }
      await store.insertJob(job('other', { owner: 'acct:someone-else', created_at: at(5) }));
      const first = await store.listJobsByOwner('acct:lister', 3);
      assert.deepEqual(first.map((j) => j.uuid), ['o4', 'o3b', 'o3a']);
      const last = first[first.length - 1]!;
      const second = await store.listJobsByOwner('acct:lister', 3, { created_at: last.created_at, uuid: last.uuid });
      assert.deepEqual(second.map((j) => j.uuid), ['o2', 'o1']);
      assert.deepEqual(await store.listJobsByOwner('acct:nobody', 3), []);
    });

    it('survives a reopen', async () => {
      if (!(store instanceof NedbJobStore)) return;
      const path = join(dir, 'reopen');
      const first = await NedbJobStore.open(path);
      await first.insertJob(job('persisted'));
      const second = await NedbJobStore.open(path);
      assert.equal((await second.getJob('persisted'))?.uuid, 'persisted');
    });
  });
}

const blobStores: Array<[string, () => BlobStore]> = [['LocalBlobStore', () => new LocalBlobStore(join(dir, 'blobs'))]];

for (const [name, open] of blobStores) {
  describe(`BlobStore contract: ${name}`, () => {
    it('puts buffers, streams and files; deletes by key and prefix', async () => {
      const blobs = open();
      await blobs.put('results/a/1.json', Buffer.from('{"a":1}'));
      await blobs.put('results/a/2.json', Readable.from([Buffer.from('two')]));
      const file = join(dir, 'upload.bin');
      writeFileSync(file, 'upload');
      await blobs.putFile('uploads/a', file);
      assert.equal((await blobs.get('results/a/1.json')).toString(), '{"a":1}');
      assert.equal((await blobs.get('results/a/2.json')).toString(), 'two');
      const local = await blobs.localPath('uploads/a');
      assert.ok(local.path.length > 0);
      await local.release();
      assert.equal(await blobs.exists('uploads/a'), true);
      await blobs.delete('uploads/a');
      assert.equal(await blobs.exists('uploads/a'), false);
      await blobs.deletePrefix('results/a');
      assert.equal(await blobs.exists('results/a/1.json'), false);
      await assert.rejects(blobs.get('missing'));
      await assert.rejects(blobs.put('../escape', Buffer.from('x')));
    });
  });
}

const buses: Array<[string, () => TaskBus]> = [['InProcessTaskBus', () => new InProcessTaskBus()]];

for (const [name, open] of buses) {
  describe(`TaskBus contract: ${name}`, () => {
    it('delivers every task, lower priority first, within the concurrency bound', async () => {
      const bus = open();
      const seen: string[] = [];
      let running = 0;
      let peak = 0;
      const all = new Promise<void>((resolve) => {
        void bus.consume(async (task: PageTask) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          seen.push(`${task.job_uuid}:${task.index}`);
          running--;
          if (seen.length === 6) resolve();
        }, 2);
      });
      // Published before any slot frees up, so priority decides the order after the first two.
      for (let i = 0; i < 3; i++) await bus.publish({ job_uuid: 'big', index: i, priority: 1 });
      for (let i = 0; i < 3; i++) await bus.publish({ job_uuid: 'small', index: i, priority: 0 });
      await all;
      assert.ok(peak <= 2);
      assert.equal(seen.length, 6);
      const firstSmall = seen.findIndex((s) => s.startsWith('small'));
      const lastBig = seen.map((s) => s.startsWith('big')).lastIndexOf(true);
      assert.ok(firstSmall < lastBig, `small jobs jump the queue: ${seen.join(' ')}`);
      await bus.close();
    });
  });
}
