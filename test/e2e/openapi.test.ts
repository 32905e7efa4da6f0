import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { availableFormats } from '@ocr/export';
import { fixturePath } from '../support/corpus';
import { auth, submit } from '../support/http';
import { MAKE_TOKEN, startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** fetch refuses TRACE, so raw node:http: the status, headers and JSON body. */
function raw(baseUrl: string, method: string, path: string): Promise<{ status: number; allow: string | undefined; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, allow: res.headers['allow'], body: text ? (JSON.parse(text) as Json) : {} });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the OpenAPI document is generated from the schemas the server validates with', () => {
  let server: TestServer;
  let doc: Json;
  let token: string;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '1' });
    doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as Json;
    const out = execFileSync(process.execPath, [MAKE_TOKEN, 'openapi', 'acct-openapi'], { env: { ...process.env, DATA_DIR: server.dataDir } });
    token = out.toString().trim().split('\n').pop() ?? '';
  });
  after(async () => server.stop());

  it('is OpenAPI 3.1 with every public path and the error codes the server uses', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/ocr/', '/api/v1/ocr/{uuid}/', '/api/v1/ocr/{uuid}/download/', '/api/v1/chat/{uuid}/', '/api/v1/account/tokens/', '/healthz']) {
      assert.ok(doc.paths[path], path);
    }
    assert.ok(doc.components.schemas.Error.properties.error.enum.includes('invalid_json'));
    assert.ok(doc.components.schemas.Error.properties.error.enum.includes('method_not_allowed'));
    assert.ok(doc.paths['/api/v1/ocr/'].post.requestBody.content['multipart/form-data'].schema.required.includes('file'));
  });

  it('describes Idempotency-Key exactly as the server checks it', async () => {
    const param = (doc.paths['/api/v1/ocr/'].post.parameters as Json[]).find((p) => p.name === 'Idempotency-Key');
    assert.ok(param, 'Idempotency-Key documented');
    const pattern = new RegExp(param.schema.pattern as string);
    // The key is checked before the upload is read: a valid key without a file is missing_file.
    for (const key of ['a', 'k'.repeat(255), 'k'.repeat(256), 'with space', 'ümlaut', '~!@#']) {
      const res = await fetch(`${server.baseUrl}/api/v1/ocr/`, { method: 'POST', headers: { 'Idempotency-Key': key }, body: new FormData() });
      const body = (await res.json()) as Json;
      const accepted = body.error === 'missing_file';
      assert.equal(res.status, 400);
      assert.equal(accepted, pattern.test(key), `key ${JSON.stringify(key.slice(0, 20))}: server ${accepted ? 'accepts' : body.error}, spec ${pattern.test(key)}`);
    }
  });

  it('says what the token body accepts, and broken JSON is invalid_json, not missing_file', async () => {
    const schema = doc.paths['/api/v1/account/tokens/'].post.requestBody.content['application/json'].schema as Json;
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.name.maxLength, 100);
    const post = (body: string) =>
      fetch(`${server.baseUrl}/api/v1/account/tokens/`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body });
    const broken = await post('{"name": ');
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as Json).error, 'invalid_json');
    const extra = await post('{"name": "ci", "admin": true}');
    assert.equal(extra.status, 400);
    assert.equal(((await extra.json()) as Json).error, 'invalid_field');
    assert.equal((await post('{"name": "ci"}')).status, 201);
  });

  it('lists the formats the server registers, and documents the 400 of lang=translated', async () => {
    const params = doc.paths['/api/v1/ocr/{uuid}/download/'].get.parameters as Json[];
    assert.deepEqual(params.find((p) => p.name === 'format')?.schema.enum, availableFormats());
    assert.match(doc.paths['/api/v1/ocr/{uuid}/download/'].get.responses['400'].description, /lang=translated/);
    const job = (await (await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), fields: { language: 'en' } })).json()) as Json;
    assert.equal(job.status, 'done');
    const translated = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=csv&lang=translated`);
    assert.equal(translated.status, 400);
    const unknown = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=TXT&table=0`);
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as Json).field, 'table');
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=TXT`)).status, 200);
  });

  it('answers an unsupported method on a known path with 405 and Allow; an unknown path stays 404', async () => {
    const trace = await raw(server.baseUrl, 'TRACE', '/api/v1/ocr/');
    assert.equal(trace.status, 405);
    assert.equal(trace.body.error, 'method_not_allowed');
    assert.ok(trace.allow?.split(', ').includes('POST'), `Allow: ${trace.allow}`);
    const put = await raw(server.baseUrl, 'PUT', '/api/v1/ocr/7d0c4a51-0000-4000-8000-000000000000/');
    assert.equal(put.status, 405);
    assert.deepEqual(put.allow?.split(', ').filter((m) => m === 'GET' || m === 'DELETE'), ['DELETE', 'GET']);
    assert.equal((await raw(server.baseUrl, 'TRACE', '/no/such/path')).status, 404);
    assert.equal((await raw(server.baseUrl, 'PATCH', '/healthz')).status, 405);
  });
});
