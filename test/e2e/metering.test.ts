import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { corpusPath } from '../support/corpus';
import { startServer, STANDALONE_MAIN, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACCOUNTS_CLI = join(STANDALONE_MAIN, '..', 'cli', 'accounts.js');
const PHOTOTEST = readFileSync(corpusPath('printed/tess_phototest.tif'));

interface Call {
  token?: string;
  /** Client IP as the trusted proxy reports it (the server trusts loopback). */
  ip?: string;
  key?: string;
}

function headers(call: Call): Record<string, string> {
  const h: Record<string, string> = {};
  if (call.token) h['Authorization'] = `Bearer ${call.token}`;
  if (call.ip) h['X-Forwarded-For'] = call.ip;
  if (call.key) h['Idempotency-Key'] = call.key;
  return h;
}

describe('accounts, tokens and per-page metering over HTTP', () => {
  let server: TestServer;
  let work: string;

  const cli = (...args: string[]): string =>
    execFileSync(process.execPath, [ACCOUNTS_CLI, ...args], { env: { ...process.env, DATA_DIR: server.dataDir } }).toString();
  const newAccount = (email: string, plan = 'free'): string => cli('create', email, '--plan', plan, '--token').trim().split('\n').pop() ?? '';
  const post = (bytes: Buffer, call: Call = {}, name = 'page.tif'): Promise<Response> => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${server.baseUrl}/api/v1/ocr/`, { method: 'POST', body: form, headers: headers(call) });
  };
  const get = (path: string, call: Call = {}, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.baseUrl}${path}`, { ...init, headers: { ...headers(call), ...(init.headers as Record<string, string> | undefined) } });
  const json = async (res: Response): Promise<Json> => (await res.json()) as Json;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ocr-metering-'));
    server = await startServer({
      OCR_WORKERS: '2',
      TRUST_PROXY: 'loopback',
      ANON_DAILY_PAGES: '10',
      ANON_MAX_PAGES_PER_FILE: '3',
      FREE_MONTHLY_PAGES: '100',
    });
  });
  after(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('charges exactly 10 pages for 50 concurrent submissions against an allowance of 10, and refuses the rest with 402', async () => {
    const ip = '203.0.113.50';
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(PHOTOTEST, { ip })));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 402).length, 40);
    for (const res of responses.filter((r) => r.status === 402)) {
      const body = await json(res);
      assert.equal(body.error, 'payment_required');
      assert.deepEqual([body.used, body.cap, body.limit], [10, 10, 'daily_pages']);
      assert.equal(res.headers.get('x-credits-remaining'), '0');
    }
    for (const res of responses.filter((r) => r.status === 200)) assert.equal((await json(res)).status, 'done');
    const usage = await json(await get('/api/v1/account/usage/', { ip }));
    assert.deepEqual(usage.days.map((d: Json) => [d.tier, d.pages, d.credits]), [['cpu', 10, 10]]);
    assert.deepEqual([usage.allowance.used, usage.allowance.cap, usage.allowance.remaining], [10, 10, 0]);
    // Another client IP behind the trusted proxy has its own allowance.
    const other = await post(PHOTOTEST, { ip: '203.0.113.51' });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('x-credits-remaining'), '9');
  });

  it('refuses a file over the per-file page cap before any work, charging nothing', async () => {
    const ip = '203.0.113.60';
    const { data, info } = await sharp(PHOTOTEST).greyscale().raw().toBuffer({ resolveWithObject: true });
    const fourPages = await sharp(Buffer.concat([data, data, data, data]), {
      raw: { width: info.width, height: info.height * 4, channels: info.channels, pageHeight: info.height },
    })
      .tiff({ compression: 'lzw' })
      .toBuffer();
    const res = await post(fourPages, { ip });
    assert.equal(res.status, 402);
    const body = await json(res);
    assert.deepEqual([body.limit, body.used, body.cap], ['pages_per_file', 4, 3]);
    assert.equal((await json(await get('/api/v1/account/', { ip }))).allowance.used, 0);
  });

  it('refunds the pages of a job that failed', async () => {
    const token = newAccount('refund@example.org');
    const png = readFileSync(corpusPath('printed/ocrmypdf_linn.png'));
    // Whole in form (it ends with IEND, so intake takes it) but its image data is cut: the page fails.
    const damaged = Buffer.concat([png.subarray(0, Math.floor(png.length / 3)), png.subarray(png.length - 12)]);
    const res = await post(damaged, { token }, 'damaged.png');
    assert.equal(res.status, 200);
    const job = await json(res);
    assert.equal(job.status, 'failed');
    assert.equal(res.headers.get('x-credits-used'), '0');
    const account = await json(await get('/api/v1/account/', { token }));
    assert.deepEqual([account.plan, account.allowance.used, account.allowance.remaining], ['free', 0, 100]);
    const ledger = cli('ledger', 'refund@example.org');
    assert.match(ledger, /hold\s+-1[\s\S]*release\s+1[\s\S]*charge\s+0/);
  });

  it('answers a retry with the same Idempotency-Key with the same job, charged once', async () => {
    const token = newAccount('retry@example.org');
    const first = await post(PHOTOTEST, { token, key: 'upload-42' });
    assert.equal(first.status, 200);
    const retries = await Promise.all([1, 2, 3].map(() => post(PHOTOTEST, { token, key: 'upload-42' })));
    const uuid = (await json(first)).uuid;
    for (const r of retries) {
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('idempotent-replayed'), 'true');
      assert.equal((await json(r)).uuid, uuid);
    }
    assert.equal((await json(await get('/api/v1/account/', { token }))).allowance.used, 1);
    const fresh = await post(PHOTOTEST, { token, key: 'upload-43' });
    assert.notEqual((await json(fresh)).uuid, uuid);
    assert.equal((await json(await get('/api/v1/account/', { token }))).allowance.used, 2);
    assert.equal((await post(PHOTOTEST, { token, key: 'bad key with spaces' })).status, 400);
    // The key stays spent: once its job is deleted, a retry finds nothing (404), and makes no new job.
    assert.equal((await get(`/api/v1/ocr/${uuid}/`, { token }, { method: 'DELETE' })).status, 204);
    const started = Date.now();
    assert.equal((await post(PHOTOTEST, { token, key: 'upload-42' })).status, 404);
    assert.ok(Date.now() - started < 5000);
    assert.equal((await json(await get('/api/v1/account/', { token }))).allowance.used, 2);
  });

  it('lists tokens by prefix, and a revoked token gets 401', async () => {
    const token = newAccount('tokens@example.org');
    const created = await get('/api/v1/account/tokens/', { token }, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'laptop' }) });
    assert.equal(created.status, 201);
    const second = (await json(created)).token as string;
    const listed = (await json(await get('/api/v1/account/', { token: second }))).tokens as Json[];
    assert.deepEqual(listed.map((t) => t.name).sort(), ['cli', 'laptop']);
    assert.ok(listed.every((t) => typeof t.prefix === 'string' && t.prefix.length < 20 && !JSON.stringify(t).includes(second.slice(12))));
    const laptop = listed.find((t) => t.name === 'laptop') as Json;
    assert.equal((await get(`/api/v1/account/tokens/${laptop.id}/`, { token }, { method: 'DELETE' })).status, 204);
    const revoked = await get('/api/v1/account/', { token: second });
    assert.equal(revoked.status, 401);
    assert.equal((await json(revoked)).error, 'unauthorized');
    assert.equal((await post(PHOTOTEST, { token: second })).status, 401);
    assert.equal((await get(`/api/v1/account/?api_token=${second}`)).status, 401);
    assert.equal((await get(`/api/v1/account/?api_token=${token}`)).status, 200);
  });

  it('keeps tenants apart: another account or an anonymous caller cannot read, download or delete a job (404)', async () => {
    const alice = newAccount('alice@example.org');
    const bob = newAccount('bob@example.org');
    const job = await json(await post(PHOTOTEST, { token: alice }));
    const path = `/api/v1/ocr/${job.uuid}/`;
    for (const intruder of [{ token: bob }, { ip: '203.0.113.70' }]) {
      assert.equal((await get(path, intruder)).status, 404);
      assert.equal((await get(`${path}download/?format=txt`, intruder)).status, 404);
      assert.equal((await get(path, intruder, { method: 'DELETE' })).status, 404);
    }
    assert.equal((await get(path, { token: alice })).status, 200);
    assert.equal((await json(await get('/api/v1/account/usage/', { token: bob }))).days.length, 0);
  });

  it('limits a paid account by purchased credits granted with the operator CLI', async () => {
    const token = newAccount('paid@example.org', 'paid');
    const refused = await post(PHOTOTEST, { token });
    assert.equal(refused.status, 402);
    assert.deepEqual(((b) => [b.limit, b.used, b.cap])(await json(refused)), ['credits', 0, 0]);
    assert.match(cli('grant', 'paid@example.org', '2', 'invoice 7'), /credit balance 2/);
    const ok = await post(PHOTOTEST, { token });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-credits-remaining'), '1');
    assert.match(cli('usage', 'paid@example.org'), /used 1 of 2 credits[\s\S]*cpu\s+1 pages/);
  });

  it('deletes an account with its jobs and files', async () => {
    const token = newAccount('leaving@example.org');
    const job = await json(await post(PHOTOTEST, { token }));
    assert.ok(existsSync(join(server.dataDir, 'blobs', 'results', job.uuid)));
    assert.equal((await get('/api/v1/account/', { token }, { method: 'DELETE' })).status, 204);
    assert.equal((await get(`/api/v1/ocr/${job.uuid}/`, { token })).status, 401);
    assert.ok(!existsSync(join(server.dataDir, 'blobs', 'results', job.uuid)));
    assert.doesNotMatch(cli('list'), /leaving@example\.org/);
  });
});
