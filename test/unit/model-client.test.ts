import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ModelClient, requireText } from '@ocr/ai';
import { startFakeModelServer, type FakeModelServer } from '../support/fake-model-server';

const quiet = { warn: () => undefined };

describe('ModelClient against the protocol', () => {
  let fake: FakeModelServer;
  const client = (overrides: Partial<{ timeoutMs: number; maxRetries: number }> = {}) =>
    new ModelClient(
      {
        baseUrl: fake.url,
        apiKey: 'k',
        models: { vision: 'v', chat: 'c', translate: '' },
        timeoutMs: overrides.timeoutMs ?? 1000,
        maxRetries: overrides.maxRetries ?? 2,
        retryBaseMs: 10,
        maxTokens: 100,
      },
      quiet,
    );

  before(async () => {
    fake = await startFakeModelServer();
  });
  after(async () => fake.close());

  it('says which roles are configured', () => {
    const c = client();
    assert.equal(c.configured('chat'), true);
    assert.equal(c.configured('translate'), false);
  });

  it('reads a JSON answer and a streamed one alike', async () => {
    fake.respond = () => ({ content: 'hello there, a streamed answer of some length' });
    assert.equal(await client().complete('chat', [{ role: 'user', content: 'hi' }]), 'hello there, a streamed answer of some length');
    assert.equal(await client().complete('chat', [{ role: 'user', content: 'hi' }], { stream: true }), 'hello there, a streamed answer of some length');
  });

  it('retries 5xx with backoff up to AI_MAX_RETRIES, then fails with the reason', async () => {
    fake.requests.length = 0;
    fake.respond = () => ({ status: 502 });
    await assert.rejects(client().complete('chat', [{ role: 'user', content: 'hi' }]), /answered 502.*after 3 tries/);
    assert.equal(fake.requests.length, 3);
  });

  it('does not retry a 400, and stops retrying at the deadline', async () => {
    fake.requests.length = 0;
    fake.respond = () => ({ status: 400, message: 'bad model name' });
    await assert.rejects(client().complete('chat', [{ role: 'user', content: 'hi' }]), /answered 400/);
    assert.equal(fake.requests.length, 1);
    fake.requests.length = 0;
    fake.respond = () => ({ status: 503 });
    await assert.rejects(client({ maxRetries: 5 }).complete('chat', [{ role: 'user', content: 'hi' }], { deadline: Date.now() + 500 }));
    assert.equal(fake.requests.length, 1);
  });

  it('cuts a stream that goes silent mid-answer (AI_TIMEOUT_SECONDS between chunks), then retries', async () => {
    fake.requests.length = 0;
    fake.respond = (_r, n) => (n === 1 ? { content: 'a long answer that will stall', stallAfterChunks: 1 } : { content: 'whole answer' });
    const started = Date.now();
    assert.equal(await client({ timeoutMs: 300 }).complete('chat', [{ role: 'user', content: 'hi' }], { stream: true }), 'whole answer');
    assert.equal(fake.requests.length, 2);
    assert.ok(Date.now() - started < 3000);
    fake.respond = () => ({ content: 'always stalls here', stallAfterChunks: 0 });
    await assert.rejects(client({ timeoutMs: 300, maxRetries: 1 }).complete('chat', [{ role: 'user', content: 'hi' }], { stream: true }), /stream stalled.*after 2 tries/);
  });

  it('times out a silent server and retries unusable output', async () => {
    fake.requests.length = 0;
    fake.respond = () => ({ delayMs: 3000, then: { content: 'late' } });
    await assert.rejects(client({ timeoutMs: 300, maxRetries: 1 }).complete('chat', [{ role: 'user', content: 'hi' }]), /timed out/);
    fake.respond = (_r, n) => (n % 2 === 1 ? { content: '' } : { content: 'fine' });
    fake.requests.length = 0;
    assert.equal(await client().complete('chat', [{ role: 'user', content: 'hi' }], { validate: requireText }), 'fine');
  });
});
