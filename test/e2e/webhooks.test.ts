import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../support/corpus';
import { auth, submit } from '../support/http';
import { MAKE_TOKEN, startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

/** A webhook receiver, as a customer would run one: it records each request and answers from a script. */
class Receiver {
  readonly received: Received[] = [];
  /** Statuses to answer with, in order; the last one repeats. */
  script: number[] = [200];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const status = this.script[Math.min(this.received.length - 1, this.script.length - 1)] ?? 200;
        res.writeHead(status).end(status >= 300 ? 'receiver error' : 'ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/ocr`;
  }

  reset(script: number[]): void {
    this.received.length = 0;
    this.script = script;
  }

  async waitFor(count: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`receiver got ${this.received.length} of ${count} deliveries`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

/** Standard Webhooks verification, written here from the scheme, not imported from the service. */
function verify(secret: string, r: Received): Json {
  const id = String(r.headers['webhook-id']);
  const timestamp = Number(r.headers['webhook-timestamp']);
  assert.ok(Math.abs(Date.now() / 1000 - timestamp) < 300, 'timestamp within five minutes');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${r.body}`).digest();
  const signatures = String(r.headers['webhook-signature']).split(' ').map((s) => s.split(','));
  assert.ok(
    signatures.some(([version, value]) => version === 'v1' && value !== undefined && timingSafeEqual(Buffer.from(value, 'base64'), expected)),
    'a v1 signature matches',
  );
  return JSON.parse(r.body) as Json;
}

async function jobWhen(server: TestServer, token: string, uuid: string, done: (job: Json) => boolean): Promise<Json> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = (await (await fetch(`${server.baseUrl}/api/v1/ocr/${uuid}/`, { headers: auth(token) })).json()) as Json;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${uuid}: ${JSON.stringify(job.webhook)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ENV = {
  OCR_WORKERS: '1',
  // Only the test's own receiver on 127.0.0.1: every other private or loopback address stays refused.
  WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
  WEBHOOK_RETRY_INITIAL_MS: '300',
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: '2',
  WEBHOOK_RETRY_FOR_SECONDS: '120',
};

describe('signed webhooks', () => {
  const receiver = new Receiver();
  let server: TestServer;
  let dataDir: string;
  let token: string;
  let secret: string;

  before(async () => {
    await receiver.start();
    dataDir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    server = await startServer(ENV, dataDir);
    const out = execFileSync(process.execPath, [MAKE_TOKEN, 'hooks', 'acct-hooks'], { env: { ...process.env, DATA_DIR: dataDir } });
    token = out.toString().trim().split('\n').pop() ?? '';
    const res = await fetch(`${server.baseUrl}/api/v1/account/webhook-secret/`, { headers: auth(token) });
    assert.equal(res.status, 200);
    secret = ((await res.json()) as Json).secret;
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  });
  after(async () => {
    await server.stop();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ocrWithCallback = async (): Promise<Json> => {
    const res = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), token, fields: { language: 'en', callback_url: receiver.url } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.callback_url, receiver.url);
    return job;
  };

  it('POSTs the job summary signed with the account secret (Standard Webhooks headers) and shows the attempt', async () => {
    receiver.reset([200]);
    const job = await ocrWithCallback();
    await receiver.waitFor(1);
    const delivered = receiver.received[0]!;
    const payload = verify(secret, delivered);
    assert.equal(payload.type, 'job.done');
    assert.equal(payload.data.uuid, job.uuid);
    assert.equal(payload.data.pages_done, 1);
    assert.equal(delivered.headers['webhook-id'], `msg_${job.uuid}`);
    assert.equal(delivered.headers['content-type'], 'application/json');
    // A tampered body does not verify.
    assert.throws(() => verify(secret, { ...delivered, body: delivered.body.replace('job.done', 'job.fail') }));
    const seen = await jobWhen(server, token, job.uuid, (j) => j.webhook?.status === 'delivered');
    assert.equal(seen.webhook.attempts.length, 1);
    assert.equal(seen.webhook.attempts[0].status, 200);
    assert.equal(seen.webhook.next_attempt_at, null);
  });

  it('retries after 500s with growing waits, the same webhook-id every time, until a 2xx', async () => {
    receiver.reset([500, 500, 200]);
    const job = await ocrWithCallback();
    await receiver.waitFor(3);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    assert.deepEqual([...ids], [`msg_${job.uuid}`]);
    for (const r of receiver.received) assert.equal(verify(secret, r).data.uuid, job.uuid);
    // Waits are at least WEBHOOK_RETRY_INITIAL_MS, then twice that (lower bounds only: the machine may be slow).
    const [a, b, c] = receiver.received.map((r) => r.at) as [number, number, number];
    assert.ok(b - a >= 250, `first retry after ${b - a} ms`);
    assert.ok(c - b >= 550, `second retry after ${c - b} ms`);
    const seen = await jobWhen(server, token, job.uuid, (j) => j.webhook?.status === 'delivered');
    assert.deepEqual(seen.webhook.attempts.map((x: Json) => x.status), [500, 500, 200]);
    assert.equal(seen.webhook.attempts[0].error, 'HTTP 500');
  });

  it('refuses callback URLs on private, loopback, link-local and metadata addresses, and without an account', async () => {
    const port = new URL(receiver.url).port;
    for (const url of [
      `http://127.0.0.2:${port}/hooks`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://192.168.1.10/hook',
      `http://[::1]:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
    ]) {
      const res = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), token, fields: { callback_url: url } });
      assert.equal(res.status, 400, url);
      const body = (await res.json()) as Json;
      assert.equal(body.field, 'callback_url', url);
      assert.match(body.message, /refused/, url);
    }
    const ftp = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), token, fields: { callback_url: 'ftp://example.org/x' } });
    assert.equal(ftp.status, 400);
    const anonymous = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), fields: { callback_url: receiver.url } });
    assert.equal(anonymous.status, 400);
    assert.match(((await anonymous.json()) as Json).message, /account token/);
  });

  it('keeps retrying across a restart: attempts are stored with the job', async () => {
    receiver.reset([500]);
    const job = await ocrWithCallback();
    await jobWhen(server, token, job.uuid, (j) => (j.webhook?.attempts.length ?? 0) >= 1);
    await server.kill();
    receiver.reset([200]);
    server = await startServer(ENV, dataDir);
    const seen = await jobWhen(server, token, job.uuid, (j) => j.webhook?.status === 'delivered');
    assert.ok(seen.webhook.attempts.length >= 2);
    assert.equal(seen.webhook.attempts[0].status, 500);
    assert.equal(seen.webhook.attempts.at(-1).status, 200);
    assert.equal(verify(secret, receiver.received.at(-1)!).data.uuid, job.uuid);
  });

  it('rotating the secret signs later deliveries with the new one', async () => {
    const rotated = (await (await fetch(`${server.baseUrl}/api/v1/account/webhook-secret/`, { method: 'POST', headers: auth(token) })).json()) as Json;
    assert.notEqual(rotated.secret, secret);
    secret = rotated.secret;
    receiver.reset([200]);
    await ocrWithCallback();
    await receiver.waitFor(1);
    verify(secret, receiver.received[0]!);
  });
});

describe('webhook retries are bounded in time', () => {
  const receiver = new Receiver();
  let server: TestServer;
  let token: string;

  before(async () => {
    await receiver.start();
    receiver.reset([500]);
    server = await startServer({ ...ENV, WEBHOOK_RETRY_FOR_SECONDS: '1' });
    const out = execFileSync(process.execPath, [MAKE_TOKEN, 'hooks', 'acct-bounded'], { env: { ...process.env, DATA_DIR: server.dataDir } });
    token = out.toString().trim().split('\n').pop() ?? '';
  });
  after(async () => {
    await server.stop();
    await receiver.stop();
  });

  it('gives up once the next attempt would start past WEBHOOK_RETRY_FOR_SECONDS, and says so', async () => {
    const res = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), token, fields: { language: 'en', callback_url: receiver.url } });
    const job = (await res.json()) as Json;
    const seen = await jobWhen(server, token, job.uuid, (j) => j.webhook?.status === 'failed');
    // Waits of 300 ms, then 600 ms: the third wait (1.2 s) would pass the 1 s window whatever the machine's speed.
    assert.ok(seen.webhook.attempts.length >= 1 && seen.webhook.attempts.length <= 3, `${seen.webhook.attempts.length} attempts`);
    assert.ok(seen.webhook.attempts.every((a: Json) => a.status === 500));
    assert.equal(seen.webhook.next_attempt_at, null);
    assert.equal(receiver.received.length, seen.webhook.attempts.length);
  });
});
