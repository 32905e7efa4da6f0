import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { fixturePath } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

const METRICS_TOKEN = 'scrape-secret-for-tests';

/** The value of one sample of the Prometheus text format, e.g. `ocr_pages_total{tier="cpu",outcome="done"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return null;
}

function trace(baseUrl: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method: 'TRACE' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/metrics in the Prometheus format', () => {
  let server: TestServer;
  // The wasm engine recycled after every recognition: engine restarts happen on every page.
  before(async () => {
    server = await startServer({ OCR_ENGINE: 'wasm', OCR_WORKERS: '1', WASM_RECYCLE_PAGES: '1', METRICS_TOKEN });
  });
  after(async () => server.stop());

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };

  it('needs METRICS_TOKEN when the operator sets one', async () => {
    assert.equal((await fetch(`${server.baseUrl}/metrics`)).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
  });

  it('counts requests by route and status, pages by tier and outcome, page seconds, queue depth and engine restarts', async () => {
    const before = await scrape();
    assert.equal(sample(before, 'ocr_pages_total', { tier: 'cpu', outcome: 'done' }), 0);
    assert.equal(sample(before, 'ocr_engine_restarts_total', { reason: 'recycled' }), 0);
    assert.equal(sample(before, 'ocr_queue_depth'), 0);

    const res = await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), fields: { language: 'en' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as { uuid: string; status: string };
    assert.equal(job.status, 'done');
    // Read each body to its end: the job JSON is streamed, and a request is counted when its response
    // finishes, which can come after the client already holds the status line.
    const status = async (path: string): Promise<number> => {
      const res = await fetch(`${server.baseUrl}${path}`);
      await res.arrayBuffer();
      return res.status;
    };
    for (let i = 0; i < 3; i++) assert.equal(await status(`/api/v1/ocr/${job.uuid}/`), 200);
    assert.equal(await status('/api/v1/ocr/00000000-0000-4000-8000-000000000000/'), 404);
    assert.equal(await trace(server.baseUrl, '/api/v1/ocr/'), 405);

    const after = await scrape();
    assert.equal(sample(after, 'ocr_http_requests_total', { method: 'POST', route: '/api/v1/ocr', status: '200' }), 1);
    // The route as registered, one series for every job: never the uuid.
    assert.equal(sample(after, 'ocr_http_requests_total', { method: 'GET', route: '/api/v1/ocr/:uuid', status: '200' }), 3);
    assert.equal(sample(after, 'ocr_http_requests_total', { method: 'GET', route: '/api/v1/ocr/:uuid', status: '404' }), 1);
    assert.equal(sample(after, 'ocr_http_requests_total', { method: 'TRACE', route: 'unmatched', status: '405' }), 1);
    assert.ok(!after.includes(job.uuid), 'no series is labelled with a job uuid');
    assert.equal(sample(after, 'ocr_pages_total', { tier: 'cpu', outcome: 'done' }), 1);
    assert.equal(sample(after, 'ocr_page_seconds_count', { tier: 'cpu', outcome: 'done' }), 1);
    assert.ok((sample(after, 'ocr_page_seconds_sum', { tier: 'cpu', outcome: 'done' }) ?? 0) > 0);
    assert.ok((sample(after, 'ocr_engine_restarts_total', { reason: 'recycled' }) ?? 0) >= 1);
    assert.equal(sample(after, 'ocr_queue_depth'), 0);
    assert.ok((sample(after, 'ocr_process_resident_memory_bytes') ?? 0) > 0, 'process metrics');
  });
});

describe('/metrics switched off', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ METRICS_ENABLED: 'false' });
  });
  after(async () => server.stop());

  it('is a 404', async () => {
    assert.equal((await fetch(`${server.baseUrl}/metrics`)).status, 404);
  });
});
