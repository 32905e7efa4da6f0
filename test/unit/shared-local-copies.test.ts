import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '@ocr/adapters-embedded';
import type { BlobStore } from '@ocr/domain';
import { SharedLocalCopies } from '@ocr/jobs';

const dir = mkdtempSync(join(tmpdir(), 'ocr-copies-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A blob store that downloads as S3 does (a fresh file per call, removed on release), counting downloads. */
function downloadingStore(): { store: BlobStore; downloads: () => number } {
  const local = new LocalBlobStore(join(dir, `blobs-${Math.random().toString(36).slice(2)}`));
  let downloads = 0;
  const store: BlobStore = Object.assign(Object.create(local) as BlobStore, {
    localPath: async (key: string) => {
      const source = await local.localPath(key);
      downloads++;
      const copyDir = await mkdtemp(join(dir, 'copy-'));
      const path = join(copyDir, 'blob');
      await copyFile(source.path, path);
      return { path, release: () => rm(copyDir, { recursive: true, force: true }) };
    },
  });
  return { store, downloads: () => downloads };
}

describe('SharedLocalCopies', () => {
  it('gives the pages of one document one download, held together or one after the other', async () => {
    const { store, downloads } = downloadingStore();
    await store.put('sources/a', Buffer.from('pdf bytes'));
    const copies = new SharedLocalCopies(store, 60_000);
    const [p1, p2] = await Promise.all([copies.localPath('sources/a'), copies.localPath('sources/a')]);
    assert.equal(p1.path, p2.path);
    assert.equal(readFileSync(p1.path, 'utf8'), 'pdf bytes');
    await p1.release();
    await p2.release();
    const p3 = await copies.localPath('sources/a');
    assert.equal(p3.path, p1.path);
    assert.equal(downloads(), 1);
    await p3.release();
    await copies.clear();
    assert.equal(existsSync(p1.path), false);
  });

  it('removes a copy nobody held for the linger time, and downloads it again when asked', async () => {
    const { store, downloads } = downloadingStore();
    await store.put('sources/b', Buffer.from('x'));
    const copies = new SharedLocalCopies(store, 20);
    const first = await copies.localPath('sources/b');
    await first.release();
    await first.release(); // a second release of the same hold changes nothing
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(first.path), false);
    const again = await copies.localPath('sources/b');
    assert.equal(readFileSync(again.path, 'utf8'), 'x');
    assert.equal(downloads(), 2);
    await again.release();
    await copies.clear();
  });

  it('keeps no failed download: the next page tries again', async () => {
    const { store, downloads } = downloadingStore();
    const copies = new SharedLocalCopies(store, 60_000);
    await assert.rejects(copies.localPath('sources/late'));
    await store.put('sources/late', Buffer.from('here now'));
    const copy = await copies.localPath('sources/late');
    assert.equal(readFileSync(copy.path, 'utf8'), 'here now');
    assert.equal(downloads(), 1);
    await copy.release();
    await copies.clear();
  });
});
