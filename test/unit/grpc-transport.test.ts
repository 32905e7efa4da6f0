import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@ocr/domain';
import { jobRecord } from '../support/job-record';
import { loadSettings } from '@ocr/config';
import { inProcessExports, inProcessMetering } from '@ocr/app';
import { AuthBillingClient, authBillingHandlers, ExportClient, exportHandlers, GrpcServer } from '@ocr/transport-grpc';
import { createJobService, openAccounts, openPorts, type AccountsRuntime } from '@ocr/runtime';
import { ExportService } from '@ocr/export';
import { intakeLimits } from '@ocr/page-worker';
import pino from 'pino';

const silent = { info: () => undefined, error: () => undefined };

async function rejection(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof AppError, `not a named error: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('auth-billing over gRPC: the same answers and named errors as in one process', () => {
  let dir: string;
  let accounts: AccountsRuntime;
  let server: GrpcServer;
  let client: AuthBillingClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-grpc-'));
    const settings = loadSettings({ DATA_DIR: dir, ANON_DAILY_PAGES: '3' });
    accounts = openAccounts(settings);
    server = new GrpcServer();
    server.add(
      'AuthBilling',
      authBillingHandlers({ identity: accounts.tokens, accounts: accounts.accounts, metering: inProcessMetering(accounts.meter, accounts.plans) }, silent),
    );
    const port = await server.listen('127.0.0.1', 0);
    client = new AuthBillingClient({ url: `127.0.0.1:${port}`, deadlineMs: 5000 });
  });

  after(async () => {
    client.close();
    await server.stop(1000);
    await accounts.meter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues a token that authenticates, and refuses a wrong one as unauthorized (401)', async () => {
    const account = await client.ensure('grpc-user', 'operator');
    assert.equal(account.plan, 'operator');
    assert.equal(account.email, null);
    const issued = await client.issueToken('grpc-user', 'test');
    assert.equal(await client.authenticate(issued.token), 'grpc-user');
    const listed = await client.listTokens('grpc-user');
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.revoked_at, null);
    const err = await rejection(client.authenticate('ocr_wrong'));
    assert.equal(err.code, 'unauthorized');
    assert.equal(err.status, 401);
  });

  it('decides 402 in auth-billing, with the details standalone gives, and replays an idempotency key', async () => {
    const owner = 'anon:203.0.113.9';
    const first = await client.reserve({ owner, plan: 'anonymous', tier: 'cpu', pages: 2, jobUuid: '11111111-1111-4111-8111-111111111111', idempotencyKey: 'k1' });
    assert.deepEqual(first, { kind: 'reserved', credits: 2 });
    const replay = await client.reserve({ owner, plan: 'anonymous', tier: 'cpu', pages: 2, jobUuid: '22222222-2222-4222-8222-222222222222', idempotencyKey: 'k1' });
    assert.deepEqual(replay, { kind: 'existing', jobUuid: '11111111-1111-4111-8111-111111111111' });
    const refused = await rejection(client.reserve({ owner, plan: 'anonymous', tier: 'cpu', pages: 2, jobUuid: '33333333-3333-4333-8333-333333333333', idempotencyKey: null }));
    assert.equal(refused.code, 'payment_required');
    assert.equal(refused.status, 402);
    assert.equal(refused.details['cap'], 3);
    assert.equal(refused.details['used'], 2);
    assert.equal(await client.isHeld('11111111-1111-4111-8111-111111111111'), true);
    await client.settle({ uuid: '11111111-1111-4111-8111-111111111111', pages_done: 1 });
    assert.equal(await client.isHeld('11111111-1111-4111-8111-111111111111'), false);
    const allowance = await client.allowance(owner, 'anonymous');
    assert.equal(allowance.used, 1);
    assert.equal(allowance.remaining, 2);
    const unlimited = await client.allowance('acct:grpc-user', 'operator');
    assert.equal(unlimited.cap, null);
    assert.equal(unlimited.remaining, null);
    assert.deepEqual(await client.jobsOf(owner), ['11111111-1111-4111-8111-111111111111']);
  });

  it('turns a service that is not there into unavailable (503), at once', async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
    await new Promise((r) => probe.close(r));
    const gone = new AuthBillingClient({ url: `127.0.0.1:${port}`, deadlineMs: 5000 });
    const started = Date.now();
    const err = await rejection(gone.authenticate('ocr_x'));
    gone.close();
    assert.equal(err.code, 'unavailable');
    assert.equal(err.status, 503);
    assert.ok(Date.now() - started < 5000);
  });

  it('turns a service that never answers into unavailable within the deadline, never a hang', async () => {
    // Accepts connections and says nothing: a stuck process.
    const sockets: Array<{ destroy: () => void }> = [];
    const mute: Server = createServer((s) => sockets.push(s));
    const port = await new Promise<number>((r) => mute.listen(0, '127.0.0.1', () => r((mute.address() as { port: number }).port)));
    const stuck = new AuthBillingClient({ url: `127.0.0.1:${port}`, deadlineMs: 500 });
    const started = Date.now();
    const err = await rejection(stuck.authenticate('ocr_x'));
    stuck.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => mute.close(r));
    assert.equal(err.code, 'unavailable');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

describe('export over gRPC: a stream of chunks, and the named errors of the exporter before the first byte', () => {
  it('streams a json export and answers no_tables (409) for a CSV of a document without tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocr-grpc-export-'));
    const settings = loadSettings({ DATA_DIR: dir });
    const ports = await openPorts(settings);
    const jobs = createJobService(settings, ports, pino({ level: 'silent' }));
    const exports = new ExportService(ports.blobStore, jobs, dir, { tessdataDir: null, limits: intakeLimits(settings) });
    const server = new GrpcServer();
    server.add('Export', exportHandlers(inProcessExports(exports, jobs), silent));
    const port = await server.listen('127.0.0.1', 0);
    const client = new ExportClient({ url: `127.0.0.1:${port}`, deadlineMs: 5000 }, 5000);
    const job = jobRecord('44444444-4444-4444-8444-444444444444', {
      owner: 'acct:x',
      status: 'done',
      options: { tier: 'cpu', language: 'en', tool: null, translate_to: null },
      upload_key: null,
      original_filename: 'x.png',
      page_count: 0,
      finished_at: new Date().toISOString(),
    });
    try {
      const body = await client.open(job, 'json', null, {});
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      assert.equal((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { uuid: string }).uuid, job.uuid);
      const err = await rejection(client.open(job, 'csv', null, {}));
      assert.equal(err.code, 'no_tables');
      assert.equal(err.status, 409);
    } finally {
      client.close();
      await server.stop(1000);
      await ports.jobStore.close();
      await ports.chatStore.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
