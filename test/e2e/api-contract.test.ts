import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { corpusPath } from '../support/corpus';
import { auth, pollUntilFinished, submit } from '../support/http';
import { e2eTarget, startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function makeToken(server: TestServer, account?: string): string {
  const last = server.makeToken('e2e', account);
  assert.match(last, /^ocr_[A-Za-z0-9_-]{20,}$/);
  return last;
}

function assertBox(bbox: unknown, width: number, height: number): void {
  assert.ok(Array.isArray(bbox) && bbox.length === 4, `bbox ${JSON.stringify(bbox)}`);
  const [x0, y0, x1, y1] = bbox as number[];
  assert.ok(x0! >= 0 && y0! >= 0 && x1! <= width && y1! <= height && x0! <= x1! && y0! <= y1!, `bbox ${bbox} outside ${width}x${height}`);
}

describe('the OCR.chat contract over HTTP', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '2' });
    token = makeToken(server);
  });
  after(async () => server.stop());

  it('answers a one-page image inline with the full job object', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    for (const field of ['uuid', 'status', 'tier', 'language', 'page_count', 'mean_confidence', 'text', 'markdown', 'pages']) {
      assert.ok(field in job, `missing ${field}`);
    }
    assert.equal(job.status, 'done');
    assert.equal(job.tier, 'cpu');
    assert.equal(job.language, 'auto');
    assert.equal(job.page_count, 1);
    assert.ok(job.mean_confidence > 0.5 && job.mean_confidence <= 1);
    assert.match(job.text, /quick brown dog/);
    const page = job.pages[0] as Json;
    assert.equal(page.index, 0);
    assert.ok(page.width > 0 && page.height > 0 && page.dpi > 0);
    assert.ok(page.blocks.length >= 2, 'paragraphs are separate blocks');
    for (const block of page.blocks as Json[]) {
      assert.equal(typeof block.text, 'string');
      assert.ok(block.confidence >= 0 && block.confidence <= 1);
      assertBox(block.bbox, page.width, page.height);
      for (const line of block.lines as Json[]) {
        assertBox(line.bbox, page.width, page.height);
        for (const word of line.words as Json[]) {
          assertBox(word.bbox, page.width, page.height);
          assert.ok(word.confidence >= 0 && word.confidence <= 1);
        }
      }
    }
    assert.ok(job.detected_languages.includes('eng'));
  });

  it('answers a document over the inline limit at once, then shows progress until done', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('pdf/icdar2013_us-017.pdf'), token, fields: { language: 'en' } });
    assert.equal(res.status, 202);
    const pending = (await res.json()) as Json;
    assert.ok(['pending', 'processing'].includes(pending.status));
    assert.equal(pending.page_count, 7);
    assert.equal(typeof pending.pages_done, 'number');
    const early = await fetch(`${server.baseUrl}/api/v1/ocr/${pending.uuid}/download/?format=txt`, { headers: auth(token) });
    if (early.status !== 200) assert.equal(early.status, 409);
    const done = await pollUntilFinished(server.baseUrl, pending.uuid, token);
    assert.equal(done['status'], 'done');
    assert.equal(done['pages_done'], 7);
    const pages = done['pages'] as Json[];
    assert.ok(pages.every((p) => p.source === 'text-layer' && p.mean_confidence === 1));
  });

  it('keeps tenants apart and rejects wrong tokens', async () => {
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token });
    const job = (await res.json()) as Json;
    const anonymous = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`);
    assert.equal(anonymous.status, 404);
    const other = makeToken(server, 'someone-else');
    const sameAccount = makeToken(server);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { headers: auth(sameAccount) })).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { headers: auth(other) })).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/?api_token=${token}`)).status, 200);
    const wrong = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { headers: auth('ocr_wrong') });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as Json).error, 'unauthorized');
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/?api_token=nope`)).status, 401);
    const wrongPost = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token: 'ocr_wrong' });
    assert.equal(wrongPost.status, 401);
  });

  it('exports txt, md and json, refuses formats not built yet, and deletes', async () => {
    const job = (await (await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token })).json()) as Json;
    const base = `${server.baseUrl}/api/v1/ocr/${job.uuid}/download/`;
    const txt = await fetch(`${base}?format=txt`, { headers: auth(token) });
    assert.equal(txt.status, 200);
    assert.match(txt.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal((await txt.text()).trim(), job.text.trim());
    const md = await fetch(`${base}?format=md`, { headers: auth(token) });
    assert.equal((await md.text()).trim(), job.markdown.trim());
    const json = (await (await fetch(`${base}?format=json`, { headers: auth(token) })).json()) as Json;
    assert.equal(json.uuid, job.uuid);
    const unknown = await fetch(`${base}?format=xyz`, { headers: auth(token) });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as Json).message, /available: txt, md, json, pdf, docx, csv, hocr, alto/);
    assert.equal((await fetch(`${base}`, { headers: auth(token) })).status, 400);
    const del = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { method: 'DELETE', headers: auth(token) });
    assert.equal(del.status, 204);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { headers: auth(token) })).status, 404);
  });

  it('maps every client error to its status with a JSON message', async () => {
    const cases: Array<[string, Promise<Response>, number, RegExp]> = [
      ['no file', submit(server.baseUrl, { fields: { tier: 'cpu' } }), 400, /no file/],
      ['not multipart', fetch(`${server.baseUrl}/api/v1/ocr/`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }), 400, /no file/],
      ['empty file', submit(server.baseUrl, { file: { name: 'a.png', bytes: Buffer.alloc(0) } }), 400, /empty/],
      ['unsupported type', submit(server.baseUrl, { file: { name: 'a.pdf', bytes: Buffer.from('hello, not a document') } }), 400, /unsupported file type/],
      ['bad tier', submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { tier: 'gpu' } }), 400, /unknown tier/],
      ['bad language', submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'xx' } }), 400, /unknown language 'xx'.*codes.*\ben\b/],
      ['bad tool', submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { tool: 'magic' } }), 400, /unknown tool/],
      ['vlm without model', submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { tier: 'vlm' } }), 400, /model server/],
      ['unknown job', fetch(`${server.baseUrl}/api/v1/ocr/00000000-0000-4000-8000-000000000000/`), 404, /no job/],
      ['not a uuid', fetch(`${server.baseUrl}/api/v1/ocr/not-a-uuid/`), 404, /no job/],
      ['unknown route', fetch(`${server.baseUrl}/api/v1/nothing/`), 404, /./],
    ];
    for (const [name, pending, status, message] of cases) {
      const res = await pending;
      assert.equal(res.status, status, name);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, name);
      const body = (await res.json()) as Json;
      assert.match(body.message, message, name);
      assert.equal(typeof body.error, 'string', name);
    }
    const bad = (await (await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'xx' } })).json()) as Json;
    assert.ok(Array.isArray(bad.valid) && bad.valid.length > 100);
  });

  it('keeps one copy of an upload once processed: its source, in the blob store', async () => {
    const job = (await (await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token })).json()) as Json;
    const incoming = readdirSync(join(server.dataDir, 'incoming'));
    assert.deepEqual(incoming, []);
    // The blobs are files in standalone; in the cluster they are objects (the job service's unit
    // tests check the keys a job leaves, whatever the store).
    if (e2eTarget() === 'standalone') {
      assert.ok(readdirSync(join(server.dataDir, 'blobs', 'sources')).includes(String(job.uuid)));
      // Nothing is staged anywhere else (earlier versions staged under uploads/ and copied at the end).
      assert.equal(existsSync(join(server.dataDir, 'blobs', 'uploads')), false);
    }
  });

  it('keeps idle connections open longer than the proxies and clients in front (65 s), so it never closes one they are reusing', async () => {
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      get(`${server.baseUrl}/healthz`, (res) => {
        res.resume();
        resolve(String(res.headers['keep-alive']));
      }).on('error', reject);
    });
    assert.equal(keepAlive, 'timeout=65');
  });

  it('lists more than 100 languages and serves its OpenAPI document and health', async () => {
    const langs = (await (await fetch(`${server.baseUrl}/api/v1/languages/`)).json()) as Json;
    assert.ok(langs.count > 100, `only ${langs.count} languages`);
    const codes = (langs.languages as Json[]).map((l) => l.code);
    for (const code of ['en', 'ch', 'ja', 'ar', 'ru', 'de', 'hi']) assert.ok(codes.includes(code), code);
    const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as Json;
    assert.equal(health.status, 'ok');
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as Json;
    assert.equal(doc.openapi, '3.1.0');
    for (const path of Object.keys(doc.paths)) {
      if (path.includes('{uuid}')) continue;
      const get = doc.paths[path].get as Json | undefined;
      // Operations that need an account say so: anonymous is not among their security options.
      if (!get || (get.security && !(get.security as Json[]).some((s) => Object.keys(s).length === 0))) continue;
      assert.equal((await fetch(`${server.baseUrl}${path}`)).status, 200, path);
    }
  });
});
