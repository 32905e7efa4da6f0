import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { mkdir, rm, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import type { BlobStore } from '@ocr/domain';

export interface S3BlobStoreOptions {
  /** http(s)://host:port of the S3 API (MinIO, s3proxy, AWS, ...). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /** Where `localPath` downloads blobs for native tools (removed on release). */
  scratchDir: string;
  /** The endpoint clients reach for presigned URLs, when it differs from ours (a public hostname). */
  publicEndpoint?: string;
  /** A call fails when the server sends nothing for this long (S3_TIMEOUT_MS); unset: no limit. */
  timeoutMs?: number;
}

/** The object store did not answer in time: named like a network timeout, so the edge answers 503 with Retry-After. */
export class S3TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`the object store sent nothing for ${ms} ms (S3_TIMEOUT_MS)`);
    this.name = 'S3TimeoutError';
  }
}

/**
 * http(s).request with an inactivity limit: a server that accepts the connection and then stays
 * silent (hung, overloaded) destroys the request with S3TimeoutError instead of holding it
 * forever. The minio client takes any object with `request` as its transport.
 */
function transportWithTimeout(useSSL: boolean, ms: number): { request: typeof http.request } {
  const base = useSSL ? https : http;
  const request = ((...args: Parameters<typeof http.request>) => {
    const req = base.request(...args);
    req.setTimeout(ms, () => req.destroy(new S3TimeoutError(ms)));
    return req;
  }) as typeof http.request;
  return { request };
}

/** S3 refuses parts under 5 MiB; 16 MiB keeps a 50 MB upload to four parts. */
const PART_SIZE = 16 * 1024 * 1024;

function clientFor(endpoint: string, o: S3BlobStoreOptions): Client {
  const url = new URL(endpoint);
  const useSSL = url.protocol === 'https:';
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    // A known region means no bucket-location request, so presigning is offline.
    region: o.region,
    // Path-style (host/bucket/key) works on MinIO, s3proxy and AWS without wildcard DNS.
    pathStyle: true,
    partSize: PART_SIZE,
    ...(o.timeoutMs ? { transport: transportWithTimeout(useSSL, o.timeoutMs) } : {}),
  });
  // Over http the client signs a SHA-256 of every body, which the server must compute again
  // before it can check the signature (s3proxy buffers the whole body to do it): a second hash
  // of every upload on each side, the largest part of the object store's CPU here. Bodies go
  // unsigned as they do over https, and keep their integrity check: the client then sends
  // Content-MD5, which the server verifies (it computes the MD5 for the ETag anyway).
  client.enableSHA256 = false;
  return client;
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

/**
 * The cluster BlobStore on any S3 API, through the `minio` client: one object per key in one
 * bucket (created at open if missing). Keys are our own (`sources/<uuid>`, `results/<uuid>/...`)
 * but checked anyway, so no key can name something outside its prefix.
 */
export class S3BlobStore implements BlobStore {
  private constructor(
    private readonly client: Client,
    private readonly signer: Client,
    private readonly options: S3BlobStoreOptions,
  ) {}

  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const client = clientFor(options.endpoint, options);
    const signer = options.publicEndpoint ? clientFor(options.publicEndpoint, options) : client;
    if (!(await client.bucketExists(options.bucket))) {
      try {
        await client.makeBucket(options.bucket, options.region);
      } catch (err) {
        // Another process created it between our check and our create.
        if (!(await client.bucketExists(options.bucket))) throw err;
      }
    }
    await mkdir(options.scratchDir, { recursive: true });
    return new S3BlobStore(client, signer, options);
  }

  private check(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      throw new Error(`invalid blob key: ${key}`);
    }
    return key;
  }

  private get bucket(): string {
    return this.options.bucket;
  }

  async put(key: string, data: Buffer | Readable): Promise<void> {
    if (Buffer.isBuffer(data)) await this.client.putObject(this.bucket, this.check(key), data, data.length);
    else await this.client.putObject(this.bucket, this.check(key), data);
  }

  /** Uploads the file, then removes it: the same move the local store makes. */
  async putFile(key: string, path: string): Promise<void> {
    await this.client.fPutObject(this.bucket, this.check(key), path);
    await unlink(path);
  }

  async get(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  stream(key: string): Promise<Readable> {
    return this.client.getObject(this.bucket, this.check(key));
  }

  async localPath(key: string): Promise<{ path: string; release: () => Promise<void> }> {
    const dir = join(this.options.scratchDir, randomUUID());
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'blob');
    try {
      // One GET straight into the file (the client's fGetObject asks for the object's stat first).
      await pipeline(await this.client.getObject(this.bucket, this.check(key)), createWriteStream(path));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return { path, release: () => rm(dir, { recursive: true, force: true }) };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.statObject(this.bucket, this.check(key));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** CopyObject: the server copies; nothing crosses the network but the request. */
  async copy(from: string, to: string): Promise<void> {
    await this.client.copyObject(
      new CopySourceOptions({ Bucket: this.bucket, Object: this.check(from) }),
      new CopyDestinationOptions({ Bucket: this.bucket, Object: this.check(to) }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.removeObject(this.bucket, this.check(key));
  }

  /** Every object under `prefix/` (a whole path segment: 'results/a' never takes 'results/ab'). */
  async deletePrefix(prefix: string): Promise<void> {
    const folder = `${this.check(prefix)}/`;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await this.client.removeObjects(this.bucket, batch);
      batch = [];
    };
    const listing = this.client.listObjectsV2(this.bucket, folder, true);
    for await (const item of listing as AsyncIterable<{ name?: string }>) {
      if (!item.name) continue;
      batch.push(item.name);
      // S3 bulk delete takes at most 1000 keys a request.
      if (batch.length === 1000) await flush();
    }
    await flush();
  }

  /** A presigned GET, optionally answering with an attachment file name. */
  presignedGetUrl(key: string, seconds: number, downloadName?: string): Promise<string> {
    const headers: Record<string, string> = {};
    if (downloadName) headers['response-content-disposition'] = `attachment; filename="${downloadName.replace(/["\\\r\n]/g, '_')}"`;
    return this.signer.presignedGetObject(this.bucket, this.check(key), seconds, headers);
  }
}
