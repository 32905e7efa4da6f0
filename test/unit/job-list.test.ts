import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, type JobRecord } from '@ocr/domain';
import { decodeCursor, encodeCursor, jobSummary } from '@ocr/jobs';

function job(patch: Partial<JobRecord> = {}): JobRecord {
  return {
    uuid: '0b7e2c55-2f4c-4a59-9a51-3c1b8d1f0a01',
    owner: 'acct:a',
    status: 'done',
    options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null },
    input_kind: 'pdf',
    upload_key: null,
    original_filename: 'scan.pdf',
    page_count: 3,
    pages_done: 2,
    pages_failed: 1,
    error: null,
    warnings: [],
    created_at: '2026-01-01T10:00:00.000Z',
    started_at: '2026-01-01T10:00:01.000Z',
    finished_at: '2026-01-01T10:05:00.000Z',
    ...patch,
  };
}

describe('the job list', () => {
  it('says when retention deletes a finished job and how long is left; nothing for one still read', () => {
    const now = new Date('2026-01-01T12:05:00.000Z');
    const row = jobSummary(job(), 24, now);
    assert.equal(row.expires_at, '2026-01-02T10:05:00.000Z');
    assert.equal(row.expires_in_seconds, 22 * 3600);
    assert.equal(row.filename, 'scan.pdf');
    assert.deepEqual([row.pages_done, row.pages_failed, row.page_count], [2, 1, 3]);
    assert.equal(jobSummary(job(), 1, now).expires_in_seconds, 0, 'overdue: the next sweep deletes it');
    const running = jobSummary(job({ status: 'processing', finished_at: null }), 24, now);
    assert.equal(running.expires_at, null);
    assert.equal(running.expires_in_seconds, null);
  });

  it('gives out opaque cursors that come back as the last job\'s sort key, and refuses others with a 400', () => {
    const j = job();
    assert.deepEqual(decodeCursor(encodeCursor(j)), { created_at: j.created_at, uuid: j.uuid });
    for (const bad of ['bm9wZQ', '!!!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad), (err: unknown) => err instanceof AppError && err.code === 'invalid_field', bad);
    }
  });
});
