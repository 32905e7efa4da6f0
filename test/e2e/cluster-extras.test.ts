// Main's features beyond the original contract, through the cluster gateway: each goes over gRPC
// to the service that owns it (job list, pages= and webhooks through ingest, page images through
// export, webhook secrets and sign-in throttles through auth-billing, job events re-read from ingest).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { fixturePath } from '../support/corpus';
import { auth, submit } from '../support/http';
import { startCluster, type Cluster } from '../support/cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ONE_PAGE = fixturePath('printed/tess_phototest.tif');
const PDF = fixturePath('pdf/ocrmypdf_cardinal.pdf');

/** A webhook receiver that records each delivery. */
async function receiver(): Promise<{ url: string; received: Array<{ headers: Record<string, unknown>; body: string }>; close: () => Promise<void> }> {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('main features through the cluster gateway', () => {
  let cluster: Cluster;
  let token: string;
  let hooks: Awaited<ReturnType<typeof receiver>>;

  before(async () => {
    hooks = await receiver();
    cluster = await startCluster({
      env: { WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1', WEBHOOK_RETRY_INITIAL_MS: '300', EVENTS_POLL_MS: '200', EVENTS_HEARTBEAT_SECONDS: '1' },
      cpuWorkers: 1,
    });
    token = cluster.makeToken('extras', 'acct-extras');
  });
  after(async () => {
    await cluster?.stop();
    await hooks?.close();
  });

  it('reads only the pages= selection, lists the job, streams its events and serves its page image', async () => {
    const res = await submit(cluster.baseUrl, { file: PDF, token, fields: { language: 'en', pages: '2' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.page_count, 1);
    assert.deepEqual(job.source_pages, [2]);
    assert.equal(job.pages[0].source_page, 2);

    const list = (await (await fetch(`${cluster.baseUrl}/api/v1/ocr/?limit=5`, { headers: auth(token) })).json()) as Json;
    assert.ok(list.jobs.some((j: Json) => j.uuid === job.uuid), 'the job is in its owner list');
    const bad = await fetch(`${cluster.baseUrl}/api/v1/ocr/?cursor=nonsense`, { headers: auth(token) });
    assert.equal(bad.status, 400);

    const events = await fetch(`${cluster.baseUrl}/api/v1/ocr/${job.uuid}/events/`, { headers: auth(token) });
    assert.equal(events.status, 200);
    assert.match(events.headers.get('content-type') ?? '', /text\/event-stream/);
    const text = await events.text();
    assert.match(text, /event: page\ndata: \{"index":0,"status":"done"/);
    assert.match(text, /event: done\n/);

    const image = await fetch(`${cluster.baseUrl}/api/v1/ocr/${job.uuid}/pages/0/image`, { headers: auth(token) });
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/webp');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WEBP');
    const etag = image.headers.get('etag') ?? '';
    const again = await fetch(`${cluster.baseUrl}/api/v1/ocr/${job.uuid}/pages/0/image`, { headers: { ...auth(token), 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const missing = await fetch(`${cluster.baseUrl}/api/v1/ocr/${job.uuid}/pages/7/image`, { headers: auth(token) });
    assert.equal(missing.status, 404);
  });

  it('serves each service its own /metrics: the worker counts the pages it read and its engine restarts', async () => {
    const worker = cluster.services.find((s) => s.kind === 'cpu-ocr');
    assert.ok(worker, 'a cpu-ocr worker runs');
    const res = await fetch(`http://127.0.0.1:${worker.port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    // The first test read one page through this worker (the only one).
    const done = /^ocr_pages_total\{tier="cpu",outcome="done"\} (\d+)$/m.exec(text);
    assert.ok(done && Number(done[1]) >= 1, `pages done on the worker: ${done?.[1]}`);
    assert.match(text, /^ocr_engine_restarts_total\{reason="recycled"\} \d+$/m);
    assert.match(text, /^ocr_process_resident_memory_bytes \d+/m);
    const ingest = cluster.services.find((s) => s.kind === 'ingest');
    assert.equal((await fetch(`http://127.0.0.1:${ingest?.port}/metrics`)).status, 200);
  });

  it('sends a signed webhook from ingest when the job finishes, with the secret auth-billing keeps', async () => {
    const secretRes = await fetch(`${cluster.baseUrl}/api/v1/account/webhook-secret/`, { headers: auth(token) });
    assert.equal(secretRes.status, 200);
    const secret = ((await secretRes.json()) as Json).secret as string;
    assert.match(secret, /^whsec_/);
    const res = await submit(cluster.baseUrl, { file: ONE_PAGE, token, fields: { language: 'en', callback_url: hooks.url } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.callback_url, hooks.url);
    const deadline = Date.now() + 60_000;
    while (hooks.received.length === 0) {
      if (Date.now() > deadline) throw new Error('no webhook delivery');
      await new Promise((r) => setTimeout(r, 100));
    }
    const delivery = hooks.received[0]!;
    const id = String(delivery.headers['webhook-id']);
    const timestamp = String(delivery.headers['webhook-timestamp']);
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${timestamp}.${delivery.body}`).digest('base64');
    assert.ok(String(delivery.headers['webhook-signature']).split(' ').includes(`v1,${expected}`), 'signed with the account secret');
    assert.equal((JSON.parse(delivery.body) as Json).data.uuid, job.uuid);

    // Anonymous callers cannot ask for webhooks; private addresses outside the allowance are refused.
    const anon = await submit(cluster.baseUrl, { file: ONE_PAGE, fields: { callback_url: hooks.url } });
    assert.equal(anon.status, 400);
    const internal = await submit(cluster.baseUrl, { file: ONE_PAGE, token, fields: { callback_url: 'http://10.1.2.3/hook' } });
    assert.equal(internal.status, 400);
  });
});
