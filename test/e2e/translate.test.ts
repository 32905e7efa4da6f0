import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { startFakeModelServer, textOf, type FakeModelServer, type ModelRequest } from '../support/fake-model-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PAGE = 'printed/tess_phototest.tif';

/** The "model": a word list, applied to the Markdown it is sent, so structure is kept as a model would. */
const GERMAN: Record<string, string> = { quick: 'schnelle', brown: 'braune', dog: 'Hund', jumped: 'sprang', over: 'über', lazy: 'faulen', fox: 'Fuchs', text: 'Text' };
function translate(req: ModelRequest): { content: string } {
  const markdown = textOf(req, 'user');
  return { content: markdown.replace(/[A-Za-z]+/g, (w) => GERMAN[w.toLowerCase()] ?? w) };
}

describe('tool=translate', () => {
  let model: FakeModelServer;
  let server: TestServer;

  before(async () => {
    model = await startFakeModelServer(translate);
    server = await startServer({ OCR_WORKERS: '2', AI_BASE_URL: model.url, AI_CHAT_MODEL: 'fake-chat', AI_TIMEOUT_SECONDS: '2', AI_MAX_RETRIES: '1', AI_RETRY_BASE_MS: '50' });
  });
  after(async () => {
    await server.stop();
    await model.close();
  });

  it('translates each page after recognition and keeps the original beside it', async () => {
    model.respond = translate;
    model.requests.length = 0;
    const res = await submit(server.baseUrl, { file: corpusPath(PAGE), fields: { tool: 'translate', translate_to: 'de' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.translate_to, 'de');
    assert.match(job.text, /quick brown dog/, 'text stays the original');
    const page = job.pages[0] as Json;
    assert.equal(page.translation.language, 'de');
    assert.equal(page.translation.model, 'fake-chat');
    assert.match(page.translation.text, /schnelle braune Hund/);
    assert.match(job.translation.text, /schnelle braune Hund/);
    assert.equal(job.translation.pages_translated, 1);
    // The model was asked for German, with the page's Markdown as the only user content.
    assert.equal(model.requests.length, 1);
    assert.match(textOf(model.requests[0]!, 'system'), /into German \(language code "de"\).*Keep the Markdown structure/s);
    assert.equal(textOf(model.requests[0]!, 'user'), page.markdown);

    const base = `${server.baseUrl}/api/v1/ocr/${job.uuid}/download/`;
    const txt = await fetch(`${base}?format=txt&lang=translated`);
    assert.equal(txt.status, 200);
    assert.match(txt.headers.get('content-disposition') ?? '', /\.de\.txt"/);
    const body = await txt.text();
    assert.match(body, /schnelle braune Hund/);
    assert.doesNotMatch(body, /quick brown dog/);
    const md = await (await fetch(`${base}?format=md&lang=translated`)).text();
    assert.equal(md.trim(), page.translation.markdown.trim());
    const original = await (await fetch(`${base}?format=txt`)).text();
    assert.match(original, /quick brown dog/);
    const json = (await (await fetch(`${base}?format=json&lang=translated`)).json()) as Json;
    assert.ok((json.pages[0].blocks as Json[]).every((b) => b.box_source === 'translated'));

    // The searchable PDF comes in the translation too: its text layer is the translation.
    const pdf = await fetch(`${base}?format=pdf&lang=translated`);
    assert.equal(pdf.status, 200);
    const dir = mkdtempSync(join(tmpdir(), 'translated-pdf-'));
    writeFileSync(join(dir, 'x.pdf'), Buffer.from(await pdf.arrayBuffer()));
    const layer = execFileSync('pdftotext', [join(dir, 'x.pdf'), '-']).toString();
    assert.match(layer, /Hund/);
    assert.doesNotMatch(layer, /quick brown dog/);
    // The original's PDF is another file, cached apart.
    const originalPdf = await fetch(`${base}?format=pdf`);
    writeFileSync(join(dir, 'o.pdf'), Buffer.from(await originalPdf.arrayBuffer()));
    assert.match(execFileSync('pdftotext', [join(dir, 'o.pdf'), '-']).toString(), /quick brown/);

    assert.equal((await fetch(`${base}?format=txt&lang=klingon`)).status, 400);
  });

  it('keeps the original with a warning when translation fails; lang=translated says so', async () => {
    model.respond = () => ({ status: 503 });
    const job = (await (await submit(server.baseUrl, { file: corpusPath(PAGE), fields: { tool: 'translate', translate_to: 'fr' } })).json()) as Json;
    assert.equal(job.status, 'done');
    assert.ok((job.pages[0].warnings as string[]).some((w) => /translation into 'fr' failed: model server answered 503/.test(w)));
    assert.equal(job.pages[0].translation, undefined);
    const res = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=json&lang=translated`);
    const view = (await res.json()) as Json;
    assert.ok((view.warnings as string[]).some((w) => /page\(s\) 1 have no translation/.test(w)));
  });

  it('refuses lang=translated for a job without translation, and translate_to without the tool', async () => {
    const job = (await (await submit(server.baseUrl, { file: corpusPath(PAGE) })).json()) as Json;
    const res = await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/download/?format=txt&lang=translated`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as Json).message, /no translation/);
    assert.equal((await submit(server.baseUrl, { file: corpusPath(PAGE), fields: { translate_to: 'de' } })).status, 400);
    assert.equal((await submit(server.baseUrl, { file: corpusPath(PAGE), fields: { tool: 'translate' } })).status, 400);
  });
});
