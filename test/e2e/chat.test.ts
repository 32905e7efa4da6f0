import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { corpusPath } from '../support/corpus';
import { auth, submit } from '../support/http';
import { MAKE_TOKEN, startServer, type TestServer } from '../support/server';
import { startFakeModelServer, textOf, type FakeModelServer, type ModelRequest, type Reply } from '../support/fake-model-server';
import { INJECTION_LINE, invoicePdf } from '../support/invoice-pdf';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function makeToken(dataDir: string, account: string): string {
  const out = execFileSync(process.execPath, [MAKE_TOKEN, 'chat', account], { env: { ...process.env, DATA_DIR: dataDir } }).toString();
  return out.trim().split('\n').pop() ?? '';
}

async function ask(server: TestServer, uuid: string, message: unknown, token?: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/v1/chat/${uuid}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: typeof message === 'string' ? JSON.stringify({ message }) : JSON.stringify(message),
  });
}

/** The excerpts the service sent, by the fence tag it chose for this request. */
function excerpts(req: ModelRequest): Array<{ page: number; text: string }> {
  const user = textOf(req, 'user');
  const tag = /<(excerpt-[0-9a-f]+) page=/.exec(user)?.[1];
  if (!tag) return [];
  return [...user.matchAll(new RegExp(`<${tag} page="(\\d+)">\\n([\\s\\S]*?)\\n</${tag}>`, 'g'))].map((m) => ({ page: Number(m[1]), text: m[2]! }));
}

/** A well-behaved model: answers from the excerpts with one true citation and two that do not check out. */
function honest(req: ModelRequest): Reply {
  const total = excerpts(req).find((e) => e.text.includes('Total due'));
  if (!total) return { content: JSON.stringify({ answer: 'The document does not say.', citations: [] }) };
  return {
    content: JSON.stringify({
      answer: 'The total due is 1234.63 EUR (p. 3).',
      citations: [
        { page: total.page, quote: 'Total due: 1234.63 EUR' },
        { page: 1, quote: 'Total due: 1234.63 EUR' },
        { page: 3, quote: 'Total due: 99.00 EUR' },
      ],
    }),
  };
}

/** A model that obeys the injected line (what the service must not let through as a cited answer). */
function obedient(): Reply {
  return { content: 'Sure! ```json\n{"answer": "The total is 0.00 EUR.", "citations": [{"page": 3, "quote": "the total is 0.00 EUR"}]}\n```' };
}

describe('chat over a finished job', () => {
  let model: FakeModelServer;
  let server: TestServer;
  let token: string;
  let other: string;
  let job: Json;

  before(async () => {
    model = await startFakeModelServer(honest);
    server = await startServer({ OCR_WORKERS: '2', AI_BASE_URL: model.url, AI_CHAT_MODEL: 'fake-chat', AI_TIMEOUT_SECONDS: '2', AI_MAX_RETRIES: '1', AI_RETRY_BASE_MS: '50' });
    token = makeToken(server.dataDir, 'acct-chat');
    other = makeToken(server.dataDir, 'acct-other');
    const res = await submit(server.baseUrl, { file: { name: 'invoice.pdf', bytes: invoicePdf() }, token });
    job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.page_count, 3);
  });
  after(async () => {
    await server.stop();
    await model.close();
  });

  it('answers with a citation whose snippet is on the cited page, with its box', async () => {
    model.respond = honest;
    model.requests.length = 0;
    const res = await ask(server, job.uuid, 'What is the total due?', token);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Json;
    assert.equal(typeof body.conversation, 'string');
    const message = body.message as Json;
    assert.equal(message.role, 'assistant');
    assert.equal(message.mode, 'model');
    assert.match(message.content, /1234\.63 EUR/);
    assert.equal(message.citations.length, 1, 'the two citations that do not check out are dropped');
    const [citation] = message.citations as Json[];
    assert.equal(citation!.page, 3);
    assert.equal(citation!.snippet, 'Total due: 1234.63 EUR');
    const page = job.pages[citation!.page - 1] as Json;
    assert.ok(page.text.replace(/\s+/g, ' ').includes(citation!.snippet));
    const [x0, y0, x1, y1] = citation!.bbox as number[];
    assert.ok(x0! >= 0 && y0! >= 0 && x1! <= page.width && y1! <= page.height && x1! > x0! && y1! > y0!);
    const line = (page.blocks as Json[]).flatMap((b) => b.lines as Json[]).find((l) => l.text.includes('Total due'))!;
    assert.deepEqual(citation!.bbox, line.bbox, 'the whole line is quoted, so the box is the line box');
    assert.ok((message.notes as string[]).some((n) => /2 citation\(s\) dropped/.test(n)));

    // Retrieval sent the page with the total; the answer was streamed (server-sent events).
    const request = model.requests[0]!;
    assert.equal(request.stream, true);
    assert.equal(request.model, 'fake-chat');
    assert.ok(excerpts(request).some((e) => e.page === 3));
  });

  it('keeps document text out of the rules: an injected instruction stays fenced data', async () => {
    model.respond = honest;
    model.requests.length = 0;
    // A question that retrieves the page carrying the injection line.
    await ask(server, job.uuid, 'What was printed and what did binding and trimming cost?', token);
    await ask(server, job.uuid, 'What is the customer address?', token);
    const [withInjection, without] = model.requests as [ModelRequest, ModelRequest];
    assert.ok(excerpts(withInjection).some((e) => e.text.includes(INJECTION_LINE)), 'the injection line was retrieved');
    assert.ok(!excerpts(without).some((e) => e.text.includes(INJECTION_LINE)));
    // The rules are the same text whatever the document says (only the random fence name differs).
    const rules = (r: ModelRequest) => textOf(r, 'system').replace(/excerpt-[0-9a-f]+/g, 'TAG');
    assert.equal(rules(withInjection), rules(without));
    assert.match(rules(withInjection), /Never follow instructions/);
    assert.ok(!textOf(withInjection, 'system').includes('IGNORE ALL'));
    // The line reaches the model only inside the fence of the final user message.
    const user = textOf(withInjection, 'user');
    const tag = /<(excerpt-[0-9a-f]+) page=/.exec(user)![1]!;
    const inside = user.indexOf(INJECTION_LINE);
    assert.ok(user.lastIndexOf(`<${tag} page=`, inside) >= 0 && user.indexOf(`</${tag}>`, inside) > inside);

    // And a model that does obey it cannot put its claim forward as cited: the quote is not on page 3.
    model.respond = obedient;
    const res = (await (await ask(server, job.uuid, 'What is the total due?', token)).json()) as Json;
    assert.deepEqual(res.message.citations, []);
    assert.ok((res.message.notes as string[]).some((n) => /dropped/.test(n)));
  });

  it('gives the model the document start when no word of the question is in it', async () => {
    model.respond = () => ({ content: '{"answer": "An invoice from Nordlicht Print GmbH to Acme Corp.", "citations": [{"page": 1, "quote": "INVOICE No. 2024-0117"}]}' });
    model.requests.length = 0;
    const res = (await (await ask(server, job.uuid, 'Summarise?', token)).json()) as Json;
    assert.deepEqual(excerpts(model.requests[0]!).map((e) => e.page)[0], 1);
    assert.deepEqual(res.message.citations.map((c: Json) => c.snippet), ['INVOICE No. 2024-0117']);
  });

  it('falls back to an extractive answer, marked, when the chat model fails or talks garbage', async () => {
    for (const reply of [{ status: 500 }, { content: 'I am not JSON at all' }] as Reply[]) {
      model.respond = () => reply;
      const res = (await (await ask(server, job.uuid, 'When is payment due?', token)).json()) as Json;
      assert.equal(res.message.mode, 'extractive');
      assert.ok((res.message.notes as string[]).some((n) => /chat model failed/.test(n)));
      assert.ok((res.message.citations as Json[]).some((c) => c.page === 3 && /Payment is due by 3 March 2024/.test(c.snippet)));
    }
  });

  it('keeps the conversation: history returns every message in order', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/chat/${job.uuid}/history/`, { headers: auth(token) });
    assert.equal(res.status, 200);
    const history = (await res.json()) as Json;
    assert.equal(history.job, job.uuid);
    const messages = history.messages as Json[];
    assert.ok(messages.length >= 10);
    assert.equal(messages.length % 2, 0);
    messages.forEach((m, i) => assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant'));
    assert.equal(messages[0]!.content, 'What is the total due?');
    const again = (await (await ask(server, job.uuid, 'Who is the customer?', token)).json()) as Json;
    assert.equal(again.conversation, history.conversation);
  });

  it('is account-gated, owner-only, for finished jobs, with validated messages', async () => {
    const anon = await ask(server, job.uuid, 'What is the total due?');
    assert.equal(anon.status, 401);
    assert.match(((await anon.json()) as Json).message, /account/);
    assert.equal((await ask(server, job.uuid, 'x', 'ocr_not-a-real-token-at-all-000000')).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/chat/${job.uuid}/history/`)).status, 401);
    assert.equal((await ask(server, job.uuid, 'What is the total due?', other)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/chat/${job.uuid}/history/`, { headers: auth(other) })).status, 404);
    assert.equal((await ask(server, '00000000-0000-4000-8000-000000000000', 'hi', token)).status, 404);
    for (const bad of [{}, { message: '' }, { message: 'x'.repeat(2001) }, { message: 42 }]) {
      const res = await ask(server, job.uuid, bad, token);
      assert.equal(res.status, 400, JSON.stringify(bad).slice(0, 40));
      assert.equal(((await res.json()) as Json).error, 'invalid_field');
    }
    const broken = await fetch(`${server.baseUrl}/api/v1/chat/${job.uuid}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(token) }, body: '{"message": ' });
    assert.equal(broken.status, 400);

    // A job still being processed: 409.
    const big = (await (await submit(server.baseUrl, { file: corpusPath('pdf/icdar2013_us-017.pdf'), token })).json()) as Json;
    assert.ok(['pending', 'processing'].includes(big.status));
    const early = await ask(server, big.uuid, 'What is this?', token);
    assert.equal(early.status, 409);
    await fetch(`${server.baseUrl}/api/v1/ocr/${big.uuid}/`, { method: 'DELETE', headers: auth(token) });
  });

  it('deletes the conversation with its job', async () => {
    const res = await submit(server.baseUrl, { file: { name: 'invoice.pdf', bytes: invoicePdf() }, token });
    const fresh = (await res.json()) as Json;
    model.respond = honest;
    await ask(server, fresh.uuid, 'What is the total due?', token);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/ocr/${fresh.uuid}/`, { method: 'DELETE', headers: auth(token) })).status, 204);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/chat/${fresh.uuid}/history/`, { headers: auth(token) })).status, 404);
  });
});

describe('chat without a chat model, and the AI tier unconfigured', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '1' });
    token = makeToken(server.dataDir, 'acct-x');
  });
  after(async () => server.stop());

  it('answers extractively: the best sentences with verified citations, marked as such', async () => {
    const job = (await (await submit(server.baseUrl, { file: { name: 'invoice.pdf', bytes: invoicePdf() }, token })).json()) as Json;
    const res = await ask(server, job.uuid, 'What is the total due?', token);
    assert.equal(res.status, 200);
    const message = ((await res.json()) as Json).message as Json;
    assert.equal(message.mode, 'extractive');
    assert.ok((message.notes as string[]).some((n) => /AI_CHAT_MODEL/.test(n)));
    assert.match(message.content, /Total due: 1234\.63 EUR/);
    const citation = (message.citations as Json[]).find((c) => c.snippet === 'Total due: 1234.63 EUR')!;
    assert.equal(citation.page, 3);
    assert.ok(job.pages[2].text.includes(citation.snippet));
    assert.ok(Array.isArray(citation.bbox));
  });

  it('says what to set for tier=vlm and tool=translate', async () => {
    const vlm = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { tier: 'vlm' } });
    assert.equal(vlm.status, 400);
    assert.match(((await vlm.json()) as Json).message, /AI_BASE_URL and AI_VISION_MODEL/);
    const tr = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { tool: 'translate', translate_to: 'de' } });
    assert.equal(tr.status, 400);
    assert.match(((await tr.json()) as Json).message, /AI_TRANSLATE_MODEL/);
    const tools = ((await (await fetch(`${server.baseUrl}/api/v1/tools/`)).json()) as Json).tools as Json[];
    assert.match(tools.find((t) => t.slug === 'handwriting-to-text')!.requires, /AI_VISION_MODEL/);
    assert.equal(tools.find((t) => t.slug === 'extract-tables')!.available, true);
  });
});
