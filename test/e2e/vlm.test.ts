import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { corpusPath, groundTruth } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { imagesOf, startFakeModelServer, textOf, type FakeModelServer } from '../support/fake-model-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HANDWRITING = 'handwriting/stanford1905_Lettre251.jpg';
const PRINTED = 'printed/tess_phototest.tif';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function assertInside(bbox: number[], width: number, height: number): void {
  const [x0, y0, x1, y1] = bbox as [number, number, number, number];
  assert.ok(x0 >= 0 && y0 >= 0 && x1 <= width && y1 <= height && x0 <= x1 && y0 <= y1, `bbox ${bbox} outside ${width}x${height}`);
}

describe('tier=vlm against an OpenAI-compatible model server', () => {
  let model: FakeModelServer;
  let server: TestServer;

  before(async () => {
    model = await startFakeModelServer();
    server = await startServer({
      OCR_WORKERS: '2',
      AI_BASE_URL: model.url,
      AI_API_KEY: 'test-key',
      AI_VISION_MODEL: 'fake-vision',
      AI_TIMEOUT_SECONDS: '2',
      AI_MAX_RETRIES: '1',
      AI_RETRY_BASE_MS: '50',
    });
  });
  after(async () => {
    await server.stop();
    await model.close();
  });

  it('reads a handwritten page with the model and boxes its lines on the page', async () => {
    const truth = groundTruth(HANDWRITING);
    model.respond = () => ({ content: truth });
    const before = model.requests.length;
    const res = await submit(server.baseUrl, { file: corpusPath(HANDWRITING), fields: { tier: 'vlm' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.tier, 'vlm');
    const page = job.pages[0] as Json;
    assert.equal(page.source, 'vlm');
    assert.equal(page.model, 'fake-vision');
    assert.equal(squash(page.text), squash(truth));
    assert.match(job.text, /We are deep in sor-\nrow\. Feeling as we do, we/);

    // The request was the real protocol: a system and a user message with the page as a data URL.
    const request = model.requests[before]!;
    assert.equal(request.model, 'fake-vision');
    assert.equal(request.authorization, 'Bearer test-key');
    const images = imagesOf(request);
    assert.equal(images.length, 1);
    assert.match(images[0]!, /^data:image\/jpeg;base64,\/9j\//);
    // The 2133x2714 page is scaled to VLM_MAX_IMAGE_SIDE (2048) on its long side before it is sent.
    const sent = await sharp(Buffer.from(images[0]!.split(',')[1]!, 'base64')).metadata();
    assert.equal(sent.height, 2048);
    assert.equal(sent.width, Math.round((2133 * 2048) / 2714));
    assert.match(textOf(request, 'user'), /Transcribe/);

    const lines = (page.blocks as Json[]).flatMap((b) => b.lines as Json[]);
    assert.equal(lines.length, truth.trim().split('\n').length);
    for (const block of page.blocks as Json[]) {
      assert.ok(['aligned', 'ink', 'estimated'].includes(block.box_source), block.box_source);
      assert.ok(['alignment', 'none'].includes(block.confidence_source));
      assertInside(block.bbox, page.width, page.height);
      for (const line of block.lines as Json[]) {
        assertInside(line.bbox, page.width, page.height);
        for (const word of line.words as Json[]) assertInside(word.bbox, page.width, page.height);
      }
    }
    // Most lines sit on a line found on the page (Tesseract's or the ink's), in reading order.
    const placed = lines.filter((l) => l.box_source !== 'estimated');
    assert.ok(placed.length >= lines.length * 0.7, `${placed.length} of ${lines.length} lines placed`);
    for (let i = 1; i < lines.length; i++) assert.ok(lines[i]!.bbox[1] >= lines[i - 1]!.bbox[1], 'lines go down the page');
    // The last line of the letter is at the bottom of the page, the date line near the top.
    assert.ok(lines[lines.length - 1]!.bbox[1] > page.height * 0.8);
    assert.ok(lines[0]!.bbox[3] < page.height * 0.2);
  });

  it('aligns the model lines to the Tesseract lines where Tesseract finds them (French handwriting)', async () => {
    const page = 'handwriting/copiste_wikitexte_0240.jpg';
    const truth = groundTruth(page);
    model.respond = () => ({ content: truth });
    const job = (await (await submit(server.baseUrl, { file: corpusPath(page), fields: { tier: 'vlm', language: 'fr' } })).json()) as Json;
    assert.equal(job.status, 'done');
    const lines = (job.pages[0].blocks as Json[]).flatMap((b) => b.lines as Json[]);
    assert.equal(squash(job.pages[0].text), squash(truth));
    const aligned = lines.filter((l) => l.box_source === 'aligned');
    assert.ok(aligned.length >= lines.length * 0.8, `${aligned.length} of ${lines.length} aligned`);
    // The confidence is how much Tesseract's reading of the box resembles the model's line.
    assert.ok(job.pages[0].mean_confidence > 0.3 && job.pages[0].mean_confidence <= 1);
  });

  it('sends the tool preset prompt: handwriting-to-text', async () => {
    model.respond = () => ({ content: groundTruth(HANDWRITING) });
    const before = model.requests.length;
    const res = await submit(server.baseUrl, { file: corpusPath(HANDWRITING), fields: { tool: 'handwriting-to-text' } });
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(job.tier, 'vlm');
    assert.equal(job.tool, 'handwriting-to-text');
    assert.match(textOf(model.requests[before]!, 'user'), /handwritten/);
  });

  it('lists tool presets as data', async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/v1/tools/`)).json()) as Json;
    const hand = (body.tools as Json[]).find((t) => t.slug === 'handwriting-to-text')!;
    assert.equal(hand.tier, 'vlm');
    assert.equal(hand.available, true);
    assert.equal((body.tools as Json[]).find((t) => t.slug === 'translate')!.available, false, 'no translation model here');
    assert.match(hand.prompt, /handwritten/);
    assert.ok((body.tools as Json[]).some((t) => t.slug === 'translate' && t.needsTarget));
    const bad = await submit(server.baseUrl, { file: corpusPath(PRINTED), fields: { tool: 'magic' } });
    assert.equal(bad.status, 400);
  });

  it('retries a 429 (honouring Retry-After) and then uses the answer', async () => {
    model.respond = (_req, n) => (n % 2 === 1 ? { status: 429, retryAfterSeconds: 0 } : { content: '# Heading\n\nThis is a lot of 12 point text' });
    model.requests.length = 0;
    const job = (await (await submit(server.baseUrl, { file: corpusPath(PRINTED), fields: { tier: 'vlm' } })).json()) as Json;
    assert.equal(job.status, 'done');
    assert.equal(model.requests.length, 2);
    assert.equal(job.pages[0].source, 'vlm');
    assert.equal(job.pages[0].blocks[0].kind, 'heading');
    assert.match(job.pages[0].markdown, /^# Heading/);
  });

  it('says so on the page when the model stopped at AI_MAX_TOKENS', async () => {
    model.respond = () => ({ content: 'This is a lot of 12 point text to test the', finishReason: 'length' });
    const job = (await (await submit(server.baseUrl, { file: corpusPath(PRINTED), fields: { tier: 'vlm' } })).json()) as Json;
    assert.equal(job.pages[0].source, 'vlm');
    assert.ok((job.pages[0].warnings as string[]).some((w) => /stopped at AI_MAX_TOKENS/.test(w)));
  });

  for (const [name, reply, reason] of [
    ['answers 500 every time', { status: 500 }, /answered 500/],
    ['is slow (past AI_TIMEOUT_SECONDS)', { delayMs: 5_000, then: { content: 'too late' } }, /timed out/],
    ['returns garbage', { garbage: '<html><body>502 Bad Gateway</body></html>' }, /unusable answer/],
    ['returns an empty answer', { content: '   ' }, /empty answer/],
  ] as const) {
    it(`falls back to cpu with a warning when the model server ${name}`, async () => {
      model.respond = () => reply;
      model.requests.length = 0;
      const started = Date.now();
      const res = await submit(server.baseUrl, { file: corpusPath(PRINTED), fields: { tier: 'vlm' } });
      const job = (await res.json()) as Json;
      assert.equal(job.status, 'done');
      const page = job.pages[0] as Json;
      assert.equal(page.source, 'ocr');
      assert.match(page.text, /quick brown dog/);
      const warning = (page.warnings as string[]).find((w) => /vision model failed/.test(w));
      assert.ok(warning, JSON.stringify(page.warnings));
      assert.match(warning, reason);
      assert.match(warning, /after 2 tries/);
      assert.equal(model.requests.length, 2, 'AI_MAX_RETRIES=1: two tries');
      assert.ok(Date.now() - started < 60_000);
    });
  }
});

describe('tier=vlm with VLM_PAGE_FALLBACK=fail and the model server down', () => {
  let server: TestServer;

  before(async () => {
    const gone = await startFakeModelServer();
    const url = gone.url;
    await gone.close();
    server = await startServer({
      OCR_WORKERS: '1',
      AI_BASE_URL: url,
      AI_VISION_MODEL: 'fake-vision',
      AI_TIMEOUT_SECONDS: '2',
      AI_MAX_RETRIES: '2',
      AI_RETRY_BASE_MS: '50',
      VLM_PAGE_FALLBACK: 'fail',
    });
  });
  after(async () => server.stop());

  it('fails the page (and so the job) with the reason, promptly', async () => {
    const started = Date.now();
    const res = await submit(server.baseUrl, { file: corpusPath(PRINTED), fields: { tier: 'vlm' } });
    assert.equal(res.status, 200);
    const job = (await res.json()) as Json;
    assert.equal(job.status, 'failed');
    assert.match(job.error, /vision model failed on this page: model server unreachable.*after 3 tries/);
    assert.equal(job.pages[0].status, 'failed');
    assert.ok(Date.now() - started < 30_000);
  });
});
