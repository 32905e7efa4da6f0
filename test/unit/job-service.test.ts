import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentError, type JobRecord, type PageContent } from '@ocr/domain';
import { jobRecord } from '../support/job-record';
import { InProcessTaskBus, JsonlLedgerStore, LocalBlobStore, NedbJobStore } from '@ocr/adapters-embedded';
import { MeteringService, plansFromSettings } from '@ocr/accounts';
import { loadSettings } from '@ocr/config';
import { JobService, pageContentKey, type PageProcessor } from '@ocr/jobs';

const dir = mkdtempSync(join(tmpdir(), 'ocr-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function content(text: string): PageContent {
  return {
    width: 100, height: 100, dpi: 300, rotation: 0, skew: 0, source: 'ocr', languages: ['eng'], text, markdown: text,
    mean_confidence: 0.9, warnings: [],
    blocks: [{ text, bbox: [0, 0, 10, 10], confidence: 0.9, kind: 'paragraph', lines: [{ text, bbox: [0, 0, 10, 10], confidence: 0.9, words: [{ text, bbox: [0, 0, 10, 10], confidence: 0.9 }] }] }],
  };
}

/** A page processor driven by a script of per-call behaviours: the real seam, with injected failures. */
class ScriptedProcessor implements PageProcessor {
  calls: Array<[string, number]> = [];
  constructor(private readonly behave: (index: number, call: number) => Promise<PageContent>) {}
  async process(job: JobRecord, index: number): Promise<PageContent> {
    this.calls.push([job.uuid, index]);
    return this.behave(index, this.calls.filter(([, i]) => i === index).length);
  }
}

async function setup(processor: PageProcessor, limits = { pageTimeoutMs: 2000, pageMaxAttempts: 2, inlinePageLimit: 5 }) {
  const root = mkdtempSync(join(dir, 'svc-'));
  const store = await NedbJobStore.open(join(root, 'db'));
  const blobs = new LocalBlobStore(join(root, 'blobs'));
  const bus = new InProcessTaskBus();
  const jobs = new JobService(store, blobs, bus, limits, quiet);
  await bus.consume((t) => jobs.handleTask(t, processor), 2);
  const upload = join(root, 'upload');
  writeFileSync(upload, 'bytes');
  const create = (pageCount: number) =>
    jobs.create({
      owner: 'acct:t', options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null }, kind: 'png', pageCount,
      uploadPath: upload, originalFilename: 'x.png', warnings: [],
    });
  return { jobs, blobs, store, create, bus };
}

describe('JobService state machine', () => {
  it('runs every page, assembles text in page order and keeps the upload as the source', async () => {
    const { jobs, blobs, create } = await setup(new ScriptedProcessor(async (i) => content(`page ${i}`)));
    const job = await create(3);
    await jobs.waitUntilFinished(job.uuid, 5000);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.equal(view.status, 'done');
    assert.equal(view.pages_done, 3);
    assert.equal(view.text, 'page 0\fpage 1\fpage 2');
    assert.match(view.markdown, /page 0\n\n<!-- page 2 -->\n\npage 1/);
    assert.equal(await blobs.exists(`sources/${job.uuid}`), true);
    assert.equal(await blobs.exists(`uploads/${job.uuid}`), false);
  });

  it('moves the upload of a job an earlier version staged under uploads/ to its source when it finishes', async () => {
    const { jobs, blobs, store, bus } = await setup(new ScriptedProcessor(async (i) => content(`page ${i}`)));
    const legacy = jobRecord('6c1f5d2e-0b7a-4c55-9f0e-3d2a1b4c5e6f', { page_count: 1 });
    await blobs.put(`uploads/${legacy.uuid}`, Buffer.from('old bytes'));
    await store.insertJob(legacy);
    await bus.publish({ job_uuid: legacy.uuid, index: 0, priority: 0 });
    await jobs.waitUntilFinished(legacy.uuid, 5000);
    assert.equal((await jobs.current(legacy.uuid))?.status, 'done');
    assert.equal((await blobs.get(`sources/${legacy.uuid}`)).toString(), 'old bytes');
    assert.equal(await blobs.exists(`uploads/${legacy.uuid}`), false);
  });

  it('retries an unexpected crash once, then succeeds', async () => {
    const processor = new ScriptedProcessor(async (_i, call) => {
      if (call === 1) throw new Error('engine crashed');
      return content('ok');
    });
    const { jobs, create } = await setup(processor);
    const job = await create(1);
    await jobs.waitUntilFinished(job.uuid, 5000);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.equal(view.status, 'done');
    assert.equal(processor.calls.length, 2);
  });

  it('fails a page with its reason and keeps the job done when other pages succeed', async () => {
    const { jobs, create } = await setup(
      new ScriptedProcessor(async (i) => {
        if (i === 1) throw new DocumentError('page 2 is not decodable');
        return content('fine');
      }),
    );
    const job = await create(3);
    await jobs.waitUntilFinished(job.uuid, 5000);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.equal(view.status, 'done');
    assert.equal(view.pages_failed, 1);
    assert.equal(view.pages[1]?.status, 'failed');
    assert.equal(view.pages[1]?.error, 'page 2 is not decodable');
  });

  it('fails the job with the reason when every page fails, and times out stuck pages', async () => {
    const { jobs, create } = await setup(new ScriptedProcessor(() => new Promise(() => undefined)), {
      pageTimeoutMs: 200, pageMaxAttempts: 2, inlinePageLimit: 5,
    });
    const job = await create(1);
    await jobs.waitUntilFinished(job.uuid, 5000);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.equal(view.status, 'failed');
    assert.match(view.error ?? '', /PAGE_TIMEOUT_SECONDS/);
  });

  it('ignores a redelivered task for a finished page', async () => {
    const processor = new ScriptedProcessor(async () => content('once'));
    const { jobs, create, bus } = await setup(processor);
    const job = await create(1);
    await jobs.waitUntilFinished(job.uuid, 5000);
    await bus.publish({ job_uuid: job.uuid, index: 0, priority: 0 });
    await bus.whenIdle();
    assert.equal(processor.calls.length, 1);
    assert.equal((await jobs.getOwned(job.uuid, 'acct:t')).pages_done, 1);
  });

  it('resumes a job whose page records were never written (crash right after the job)', async () => {
    const { jobs, store, blobs } = await setup(new ScriptedProcessor(async (i) => content(`p${i}`)));
    await blobs.put('uploads/crashed', Buffer.from('bytes'));
    await store.insertJob(jobRecord('crashed', { owner: 'acct:t', original_filename: null }));
    assert.equal(await jobs.resume(), 2);
    await jobs.waitUntilFinished('crashed', 5000);
    assert.equal((await store.getJob('crashed'))?.status, 'done');
  });

  it('hides other owners\' jobs and purges expired ones', async () => {
    const { jobs, create } = await setup(new ScriptedProcessor(async () => content('x')));
    const job = await create(1);
    await jobs.waitUntilFinished(job.uuid, 5000);
    await assert.rejects(jobs.getOwned(job.uuid, 'acct:other'), /no job/);
    assert.equal(await jobs.purgeFinishedBefore(new Date(Date.now() + 1000)), 1);
    await assert.rejects(jobs.getOwned(job.uuid, 'acct:t'), /no job/);
  });

  it('shows untaken pages as pending, page contents only once finished, and keeps timings on the page record', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const timed = async (i: number): Promise<PageContent> => {
      if (i === 2) await gate;
      return { ...content(`page ${i}`), timings: { extract_ms: 3, layout_ms: 1, tables_ms: 0 } };
    };
    const { jobs, blobs, store, create } = await setup(new ScriptedProcessor(timed));
    const job = await create(3);
    // Pages 0 and 1 done, page 2 held: the job is unfinished. Page 2 is taken once a worker is
    // free, which may come just after the second page is counted: both are waited for.
    const viewNow = async () => jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    let partial = await viewNow();
    for (let i = 0; i < 100 && ((await store.getJob(job.uuid))?.pages_done !== 2 || partial.pages[2]?.status !== 'processing'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      partial = await viewNow();
    }
    assert.equal(partial.pages.length, 3);
    assert.deepEqual(partial.pages.map((p) => p.status), ['done', 'done', 'processing']);
    assert.deepEqual(partial.pages.map((p) => p.text), ['', '', '']);
    assert.equal(partial.pages[0]?.timings?.extract_ms, 3);
    release();
    await jobs.waitUntilFinished(job.uuid, 5000);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.deepEqual(view.pages.map((p) => p.text), ['page 0', 'page 1', 'page 2']);
    const t = view.pages[2]?.timings;
    assert.deepEqual([t?.extract_ms, t?.layout_ms, t?.tables_ms], [3, 1, 0]);
    assert.ok(Number.isInteger(t?.store_ms) && (t?.store_ms ?? -1) >= 0);
    // The stored content holds the page, not its timings.
    const stored = JSON.parse((await blobs.get(pageContentKey(job.uuid, 2))).toString()) as PageContent;
    assert.equal(stored.timings, undefined);
    // Paged reading gives the same pages and totals as the whole view.
    const paged = await jobs.pagedView(await jobs.getOwned(job.uuid, 'acct:t'));
    const pages = [];
    for await (const p of paged.pages()) pages.push(p);
    assert.deepEqual(pages, view.pages);
    assert.deepEqual(await paged.view(), { ...view, pages: [] });
    // The finished job's JSON written page by page is the view's JSON, byte for byte.
    let json = '';
    for await (const piece of jobs.viewJson(await jobs.getOwned(job.uuid, 'acct:t'))) json += piece;
    assert.equal(json, JSON.stringify(view));
  });

  it('writes a finished job with a failed page as JSON page by page, as the view', async () => {
    const { jobs, create } = await setup(
      new ScriptedProcessor(async (i) => {
        if (i === 1) throw new DocumentError('page 2 is not decodable');
        return { ...content(`page ${i} "quoted" \u2028`), timings: { layout_ms: 2, tables_ms: 1 } };
      }),
    );
    const job = await create(3);
    await jobs.waitUntilFinished(job.uuid, 5000);
    const finished = await jobs.getOwned(job.uuid, 'acct:t');
    let json = '';
    for await (const piece of jobs.viewJson(finished)) json += piece;
    assert.equal(json, JSON.stringify(await jobs.view(finished)));
    assert.equal((JSON.parse(json) as { pages: Array<{ status: string }> }).pages[1]?.status, 'failed');
  });

  it('views an owner\'s job from the job and its pages read side by side, and reads pages again that predate its finish', async () => {
    const { jobs, store, create } = await setup(new ScriptedProcessor(async (i) => content(`page ${i}`)));
    const job = await create(2);
    await jobs.waitUntilFinished(job.uuid, 5000);
    await assert.rejects(jobs.viewOwned(job.uuid, 'acct:other'), /no job/);
    await assert.rejects(jobs.viewOwned('not-a-uuid', 'acct:t'), /no job/);
    // The race the side-by-side read allows: the page list read before the last page was recorded.
    const finished = await store.listPages(job.uuid);
    const stale = finished.map((p) => (p.index === 1 ? { ...p, status: 'processing' as const, content_key: null } : p));
    const listPages = store.listPages.bind(store);
    let calls = 0;
    store.listPages = async (uuid: string) => (++calls === 1 ? stale : listPages(uuid));
    const view = await jobs.viewOwned(job.uuid, 'acct:t');
    assert.equal(calls, 2, 'the stale page list is read again');
    assert.deepEqual(view.pages.map((p) => p.status), ['done', 'done']);
    assert.equal(view.text, 'page 0\fpage 1');
  });

  it('shows the pages of a job none of whose pages was taken yet as pending', async () => {
    const { jobs, create, bus } = await setup(new ScriptedProcessor(async () => content('x')));
    await bus.close();
    const job = await create(4);
    const view = await jobs.view(await jobs.getOwned(job.uuid, 'acct:t'));
    assert.deepEqual(view.pages.map((p) => [p.index, p.status]), [[0, 'pending'], [1, 'pending'], [2, 'pending'], [3, 'pending']]);
  });
});

describe('JobService under redelivery (two workers, one store)', () => {
  it('counts, keeps and charges each page once when every page is delivered to two workers at once', async () => {
    const root = mkdtempSync(join(dir, 'twice-'));
    const store = await NedbJobStore.open(join(root, 'db'));
    const blobs = new LocalBlobStore(join(root, 'blobs'));
    const ledger = join(root, 'ledger.jsonl');
    const plans = plansFromSettings(loadSettings({}));
    const limits = { pageTimeoutMs: 5000, pageMaxAttempts: 3, inlinePageLimit: 5 };
    // Two workers: their own job service and metering (as two processes), one store, one ledger.
    const workers = [0, 1].map(() => {
      const meter = new MeteringService(new JsonlLedgerStore(ledger), { cpu: 1, vlm: 5 });
      return { meter, jobs: new JobService(store, blobs, new InProcessTaskBus(), limits, quiet, meter) };
    });
    const [a, b] = workers as [(typeof workers)[number], (typeof workers)[number]];
    await a.meter.reserve({ owner: 'acct:t', plan: plans.free, tier: 'cpu', pages: 3, jobUuid: 'twice-job', idempotencyKey: null });
    const upload = join(root, 'upload');
    writeFileSync(upload, 'bytes');
    // Created with no consumer on its bus: the test delivers each task itself, twice.
    const job = await a.jobs.create({
      uuid: 'twice-job', owner: 'acct:t', options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null }, kind: 'png',
      pageCount: 3, uploadPath: upload, originalFilename: 'x.png', warnings: [],
    });
    const processor = new ScriptedProcessor(async (i) => {
      await new Promise((r) => setTimeout(r, 20));
      return content(`page ${i}`);
    });
    await Promise.all(
      [0, 1, 2].flatMap((index) => [a, b].map((w) => w.jobs.handleTask({ job_uuid: job.uuid, index, priority: 0 }, processor))),
    );
    const finished = await store.getJob(job.uuid);
    assert.equal(finished?.status, 'done');
    assert.deepEqual([finished?.pages_done, finished?.pages_failed], [3, 0]);
    const view = await a.jobs.view(finished as JobRecord);
    assert.equal(view.text, 'page 0\fpage 1\fpage 2');
    const fresh = new MeteringService(new JsonlLedgerStore(ledger), { cpu: 1, vlm: 5 });
    assert.equal((await fresh.allowance('acct:t', plans.free)).used, 3, 'three pages charged once');
    assert.equal(fresh.isHeld(job.uuid), false);
  });
});
