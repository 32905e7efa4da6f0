// An object store that accepts connections and then never answers (hung, overloaded) must not
// hang a request: past S3_TIMEOUT_MS of silence the call fails, and the service answers 503 with
// Retry-After as it does for a stopped store; once the store answers again, so does the service.
// A real TCP server sits between the service and s3proxy: it forwards, or accepts and stays silent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUnavailableError } from '@ocr/domain';
import { S3BlobStore, S3TimeoutError } from '@ocr/adapters-cluster';
import { corpusPath } from '../support/corpus';
import { pollUntilFinished, submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { startS3, type S3Server } from '../support/cluster-servers';

/** Forwards to `target` while `silent` is false; otherwise takes connections and reads them, answering nothing. */
class SilenceableProxy {
  silent = false;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      this.track(client);
      client.on('error', () => undefined);
      if (this.silent) {
        client.resume(); // takes the request, never answers
        return;
      }
      const upstream = createConnection(this.target);
      this.track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /**
   * From now on new connections hang; kept-alive ones are cut so the client must open new ones
   * (and given a moment to see them closed, or it would reuse one and read a reset, not silence).
   */
  async goSilent(): Promise<void> {
    this.silent = true;
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 500));
  }

  answerAgain(): void {
    this.silent = false;
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }
}

describe('an object store that never answers', { timeout: 600_000 }, () => {
  let s3: S3Server;
  let proxy: SilenceableProxy;
  let dir: string;
  let server: TestServer | undefined;
  const TIMEOUT_MS = 1_500;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-s3-timeout-'));
    s3 = await startS3();
    const url = new URL(s3.endpoint);
    proxy = new SilenceableProxy({ host: url.hostname, port: Number(url.port) });
    await proxy.start();
  });
  after(async () => {
    await server?.stop();
    await proxy?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const storeOptions = () => ({
    endpoint: `http://127.0.0.1:${proxy.port}`,
    bucket: 'ocr-timeout',
    region: s3.region,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    scratchDir: join(dir, 'scratch'),
    timeoutMs: TIMEOUT_MS,
  });

  it('fails an S3 call after S3_TIMEOUT_MS of silence, as an unavailable dependency', async () => {
    const blobs = await S3BlobStore.open(storeOptions());
    await blobs.put('uploads/before', Buffer.from('answered'));
    await proxy.goSilent();
    try {
      const started = Date.now();
      const err: unknown = await blobs.get('uploads/before').then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof S3TimeoutError, `got ${String(err)}`);
      assert.ok(isUnavailableError(err), 'a silent store is an unavailable dependency (503)');
      assert.ok(Date.now() - started < 30_000, 'it failed, it did not hang');
      await assert.rejects(S3BlobStore.open({ ...storeOptions(), bucket: 'ocr-timeout-other' }), S3TimeoutError);
    } finally {
      proxy.answerAgain();
    }
    assert.equal((await blobs.get('uploads/before')).toString(), 'answered');
  });

  it('answers a POST with 503 and Retry-After while the store is silent, and works again after', async () => {
    server = await startServer(
      {
        BLOB_STORE: 's3',
        S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
        S3_BUCKET: 'ocr-timeout',
        S3_REGION: s3.region,
        S3_ACCESS_KEY: s3.accessKey,
        S3_SECRET_KEY: s3.secretKey,
        S3_TIMEOUT_MS: String(TIMEOUT_MS),
        RETRY_AFTER_SECONDS: '7',
      },
      join(dir, 'service'),
    );
    await proxy.goSilent();
    try {
      const started = Date.now();
      const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'eng' } });
      const body = (await res.json()) as { error?: string };
      assert.equal(res.status, 503, JSON.stringify(body));
      // The store's silence ran out (not a refused or reset connection, which fail at once).
      assert.ok(Date.now() - started >= TIMEOUT_MS - 100, `answered after ${Date.now() - started} ms`);
      assert.equal(body.error, 'unavailable');
      assert.equal(res.headers.get('retry-after'), '7');
    } finally {
      proxy.answerAgain();
    }
    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), fields: { language: 'eng' } });
    assert.ok(res.status === 200 || res.status === 202, `after the store is back: ${res.status}`);
    const job = (await res.json()) as { uuid: string; status: string };
    const finished = job.status === 'done' ? job : await pollUntilFinished(server.baseUrl, job.uuid);
    assert.equal(finished.status, 'done');
  });
});
