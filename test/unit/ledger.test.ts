import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, DocumentError, type LedgerEntry, type PageContent, type PageTask } from '@ocr/domain';
import { hashPassword, MeteringService, plansFromSettings, verifyPassword, type Clock } from '@ocr/accounts';
import { InProcessTaskBus, JsonlLedgerStore, LocalBlobStore, NedbJobStore } from '@ocr/adapters-embedded';
import { JobService } from '@ocr/jobs';

const dir = mkdtempSync(join(tmpdir(), 'ocr-ledger-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const plans = plansFromSettings({
  ANON_DAILY_PAGES: 10,
  ANON_MAX_PAGES_PER_FILE: 5,
  FREE_MONTHLY_PAGES: 10,
  FREE_MAX_PAGES_PER_FILE: 20,
  PAID_MAX_PAGES_PER_FILE: 100,
  ANON_MAX_FRAMES_PER_FILE: 5,
  FREE_MAX_FRAMES_PER_FILE: 20,
  PAID_MAX_FRAMES_PER_FILE: 100,
  ANON_MAX_PIXELS_PER_FILE: 1e8,
  FREE_MAX_PIXELS_PER_FILE: 1e9,
  PAID_MAX_PIXELS_PER_FILE: 1e10,
});

let n = 0;
function ledgerPath(): string {
  return join(dir, `ledger-${n++}.jsonl`);
}

function meter(path: string, clock?: Clock): MeteringService {
  return new MeteringService(new JsonlLedgerStore(path), { cpu: 1, vlm: 5 }, clock);
}

function readLedger(path: string): LedgerEntry[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LedgerEntry);
}

const reserve = (m: MeteringService, owner: string, pages: number, jobUuid: string, extra: { key?: string; tier?: 'cpu' | 'vlm'; plan?: keyof typeof plans } = {}) =>
  m.reserve({ owner, plan: plans[extra.plan ?? 'anonymous'], tier: extra.tier ?? 'cpu', pages, jobUuid, idempotencyKey: extra.key ?? null });

describe('metering on the ledger', () => {
  it('holds exactly the allowance under 50 concurrent reservations, and refuses the rest with used and cap', async () => {
    const path = ledgerPath();
    const m = meter(path);
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => reserve(m, 'anon:1.2.3.4', 1, `job-${i}`)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 10);
    assert.equal(refused.length, 40);
    for (const r of refused) {
      assert.ok(r.reason instanceof AppError);
      assert.equal(r.reason.status, 402);
      assert.deepEqual([r.reason.details['used'], r.reason.details['cap'], r.reason.details['limit']], [10, 10, 'daily_pages']);
    }
    // The balance is the sum of the ledger: 10 holds of one credit each, nothing else.
    const entries = readLedger(path);
    assert.equal(entries.length, 10);
    assert.equal(entries.reduce((s, e) => s + e.credits, 0), -10);
    assert.equal((await m.allowance('anon:1.2.3.4', plans.anonymous)).remaining, 0);
  });

  it('holds exactly the allowance when every reservation is followed by an allowance read, as a submit does', async () => {
    const path = ledgerPath();
    const m = meter(path);
    // allowance() reads the ledger outside the reservation lock; those reads must not lose a hold.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        reserve(m, 'anon:1.2.3.5', 1, `job-r${i}`).finally(() => Promise.all([m.allowance('anon:1.2.3.5', plans.anonymous), m.allowance('anon:1.2.3.5', plans.anonymous)])),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    assert.equal(readLedger(path).reduce((s, e) => s + e.credits, 0), -10);
    assert.equal((await meter(path).allowance('anon:1.2.3.5', plans.anonymous)).used, 10);
  });

  it('charges done pages, releases failed ones, and settles a job only once', async () => {
    const path = ledgerPath();
    const m = meter(path);
    await reserve(m, 'acct:f', 4, 'j1', { plan: 'free' });
    assert.equal((await m.allowance('acct:f', plans.free)).used, 4);
    await m.settle({ uuid: 'j1', pages_done: 1 });
    await m.settle({ uuid: 'j1', pages_done: 4 });
    const a = await m.allowance('acct:f', plans.free);
    assert.equal(a.used, 1);
    assert.equal(a.remaining, 9);
    assert.deepEqual(readLedger(path).map((e) => [e.kind, e.credits]), [['hold', -4], ['release', 4], ['charge', -1]]);
    assert.deepEqual(await m.usage('acct:f'), [{ day: new Date().toISOString().slice(0, 10), tier: 'cpu', pages: 1, credits: 1 }]);
  });

  it('settles once when two processes settle the same job at the same time (a redelivered last page)', async () => {
    const path = ledgerPath();
    await reserve(meter(path), 'acct:twice', 3, 'j-twice', { plan: 'free' });
    // Two metering services on one ledger, as two processes would be: both see the hold open.
    const [a, b] = [meter(path), meter(path)];
    await Promise.all([a.settle({ uuid: 'j-twice', pages_done: 2 }), b.settle({ uuid: 'j-twice', pages_done: 2 })]);
    const fresh = meter(path);
    assert.equal((await fresh.allowance('acct:twice', plans.free)).used, 2);
    assert.equal(fresh.isHeld('j-twice'), false);
    const kinds = (await fresh.usage('acct:twice')).reduce((s, u) => s + u.pages, 0);
    assert.equal(kinds, 2, 'two pages charged once');
  });

  it('returns the same job for a retried Idempotency-Key and holds its pages once', async () => {
    const m = meter(ledgerPath());
    const first = await reserve(m, 'acct:p', 2, 'j-first', { key: 'retry-1', plan: 'free' });
    const again = await Promise.all([1, 2, 3].map((i) => reserve(m, 'acct:p', 2, `j-retry-${i}`, { key: 'retry-1', plan: 'free' })));
    assert.equal(first.kind, 'reserved');
    for (const r of again) assert.deepEqual(r, { kind: 'existing', jobUuid: 'j-first' });
    assert.equal((await m.allowance('acct:p', plans.free)).used, 2);
    // Keys belong to their owner: another owner's same key is a new job.
    assert.equal((await reserve(m, 'acct:q', 1, 'j-q', { key: 'retry-1', plan: 'free' })).kind, 'reserved');
  });

  it('resets the anonymous allowance at the UTC day boundary (clock injected)', async () => {
    let now = new Date('2026-03-01T23:59:30Z');
    const m = meter(ledgerPath(), () => now);
    await reserve(m, 'anon:9.9.9.9', 5, 'day1');
    await reserve(m, 'anon:9.9.9.9', 5, 'day1b');
    await assert.rejects(reserve(m, 'anon:9.9.9.9', 1, 'day1c'), (e: AppError) => e.status === 402 && e.details['used'] === 10);
    const before = await m.allowance('anon:9.9.9.9', plans.anonymous);
    assert.equal(before.resets_at, '2026-03-02T00:00:00.000Z');
    now = new Date('2026-03-02T00:00:00Z');
    assert.equal((await m.allowance('anon:9.9.9.9', plans.anonymous)).remaining, 10);
    assert.equal((await reserve(m, 'anon:9.9.9.9', 3, 'day2')).kind, 'reserved');
    // The day-1 job settling after midnight counts against day 1, not day 2.
    await m.settle({ uuid: 'day1', pages_done: 5 });
    assert.equal((await m.allowance('anon:9.9.9.9', plans.anonymous)).used, 3);
  });

  it('prices vlm pages by setting and refuses a file over the plan page cap before holding anything', async () => {
    const path = ledgerPath();
    const m = meter(path);
    await assert.rejects(reserve(m, 'anon:5.5.5.5', 6, 'big'), (e: AppError) => e.details['limit'] === 'pages_per_file' && e.details['cap'] === 5 && e.details['used'] === 6);
    await assert.rejects(reserve(m, 'anon:5.5.5.5', 3, 'vlm', { tier: 'vlm' }), (e: AppError) => e.details['needed'] === 15);
    assert.equal((await reserve(m, 'anon:5.5.5.5', 2, 'vlm2', { tier: 'vlm' })).kind, 'reserved');
    assert.equal((await m.allowance('anon:5.5.5.5', plans.anonymous)).used, 10);
  });

  it('sees credits granted by another process (the operator CLI) and limits paid pages by them', async () => {
    const path = ledgerPath();
    const service = meter(path);
    const cli = meter(path);
    await assert.rejects(reserve(service, 'acct:paid', 1, 'p0', { plan: 'paid' }), (e: AppError) => e.details['limit'] === 'credits' && e.details['cap'] === 0);
    await cli.grant('acct:paid', 3, 'invoice 1');
    assert.equal((await reserve(service, 'acct:paid', 3, 'p1', { plan: 'paid' })).kind, 'reserved');
    await service.settle({ uuid: 'p1', pages_done: 2 });
    const a = await cli.allowance('acct:paid', plans.paid);
    assert.deepEqual([a.cap, a.used, a.remaining], [3, 2, 1]);
    const sum = readLedger(path).filter((e) => e.owner === 'acct:paid').reduce((s, e) => s + e.credits, 0);
    assert.equal(sum, a.remaining);
  });

  it('rebuilds open holds from the file after a restart and settles them once', async () => {
    const path = ledgerPath();
    await reserve(meter(path), 'acct:r', 2, 'r1', { plan: 'free' });
    const restarted = meter(path);
    await restarted.settle({ uuid: 'r1', pages_done: 2 });
    await restarted.settle({ uuid: 'r1', pages_done: 2 });
    assert.equal((await restarted.allowance('acct:r', plans.free)).used, 2);
    assert.equal(readLedger(path).length, 3);
  });
});

describe('passwords', () => {
  it('hashes with scrypt, salted, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse', 1024);
    const b = await hashPassword('correct horse', 1024);
    assert.match(a, /^scrypt\$1024\$8\$1\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('correct horsf', a), false);
    assert.equal(await verifyPassword('x', 'garbage'), false);
  });
});

describe('jobs settle their pages with the meter', () => {
  function content(text: string): PageContent {
    return { width: 10, height: 10, dpi: 300, rotation: 0, skew: 0, source: 'ocr', languages: [], text, markdown: text, mean_confidence: 1, warnings: [], blocks: [] };
  }

  it('charges the done pages of a job whose other pages failed, and takes paid pages first', async () => {
    const root = mkdtempSync(join(dir, 'jobs-'));
    const store = await NedbJobStore.open(join(root, 'db'));
    const m = meter(join(root, 'ledger.jsonl'));
    const bus = new InProcessTaskBus();
    const seen: PageTask[] = [];
    const jobs = new JobService(store, new LocalBlobStore(join(root, 'blobs')), bus, { pageTimeoutMs: 2000, pageMaxAttempts: 1, inlinePageLimit: 5 }, { info: () => undefined, warn: () => undefined, error: () => undefined }, m);
    const upload = (name: string) => {
      const p = join(root, name);
      writeFileSync(p, 'bytes');
      return p;
    };
    const newJob = async (uuid: string, pages: number, planPriority: number) => {
      await reserve(m, 'acct:mix', pages, uuid, { plan: 'free' });
      return jobs.create({ uuid, owner: 'acct:mix', options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null }, kind: 'png', pageCount: pages, uploadPath: upload(uuid), originalFilename: null, warnings: [], planPriority });
    };
    const free = await newJob('00000000-0000-4000-8000-000000000001', 3, plans.free.priority);
    const paid = await newJob('00000000-0000-4000-8000-000000000002', 1, plans.paid.priority);
    // Workers start only now, with both jobs queued: the paid page must come first.
    await bus.consume(async (t) => {
      seen.push(t);
      await jobs.handleTask(t, {
        process: async (_job, index) => {
          if (t.job_uuid === free.uuid && index === 1) throw new DocumentError('unreadable page');
          return content(`p${index}`);
        },
      });
    }, 1);
    await jobs.waitUntilFinished(free.uuid, 5000);
    await jobs.waitUntilFinished(paid.uuid, 5000);
    assert.equal(seen[0]?.job_uuid, paid.uuid);
    // 4 pages held; the failed page is released: 3 charged.
    assert.equal((await m.allowance('acct:mix', plans.free)).used, 3);
    await store.close();
  });
});

describe('the JSONL ledger file', () => {
  it('survives a write torn by a crash: only the torn line is lost', async () => {
    const path = ledgerPath();
    const before = meter(path);
    await before.grant('acct:torn', 5, null);
    await before.close();
    // A crash mid-append: half a line, no newline.
    writeFileSync(path, readFileSync(path, 'utf8') + '{"owner":"acct:torn","buck', { flag: 'w' });
    const after = meter(path);
    await after.grant('acct:torn', 2, null);
    assert.equal((await after.allowance('acct:torn', plans.paid)).remaining, 7);
    await after.close();
  });
});
