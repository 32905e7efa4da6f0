import { Readable } from 'node:stream';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { JobRecord } from '@ocr/domain';
import type { ExportApi, PageImageFile } from '@ocr/app';
import { GrpcClient, type ClientSettings } from './client';
import { fromServiceError } from './errors';
import { serverStream, unary, type ServerLogger } from './server';

interface ExportMsg {
  job_json: string;
  format: string;
  lang?: string;
  query: Record<string, string>;
}

interface PageImageMsg {
  job_json: string;
  index: number;
}
interface PageImageReply {
  body: Buffer;
  content_type: string;
  etag: string;
}

/** The Export service's handlers: the export stream as chunks, and page images. */
export function exportHandlers(exports: ExportApi, log: ServerLogger): UntypedServiceImplementation {
  return {
    PageImage: unary<PageImageMsg, PageImageReply>(log, async (r) => {
      const image = await exports.pageImage(JSON.parse(r.job_json) as JobRecord, r.index);
      return { body: image.body, content_type: image.contentType, etag: image.etag };
    }),
    Open: serverStream(log, async (r: ExportMsg) => {
      const body = await exports.open(JSON.parse(r.job_json) as JobRecord, r.format, r.lang ?? null, r.query);
      return (async function* () {
        for await (const chunk of body) yield { data: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string) };
      })();
    }),
  };
}

/** export seen from the gateway. The first chunk (or the named error) is awaited before answering. */
export class ExportClient implements ExportApi {
  readonly grpc: GrpcClient;

  constructor(
    settings: ClientSettings,
    /** Rendering a long document's searchable PDF takes a while: its deadline, on top of the call's. */
    private readonly renderMs: number,
  ) {
    this.grpc = new GrpcClient('Export', 'export', settings);
  }

  async open(job: JobRecord, format: string, lang: string | null, query: Record<string, string>): Promise<Readable> {
    const call = this.grpc.stream<ExportMsg>('Open', { job_json: JSON.stringify(job), format, lang: lang ?? undefined, query }, this.renderMs);
    const chunks = call[Symbol.asyncIterator]() as AsyncIterator<{ data: Buffer }>;
    // Errors before the first byte become the named error (404, 409 no_tables, 503), as in one process.
    let first: IteratorResult<{ data: Buffer }>;
    try {
      first = await chunks.next();
    } catch (err) {
      throw fromServiceError(err, 'export');
    }
    const label = this.grpc.label;
    return Readable.from(
      (async function* () {
        if (first.done) return;
        yield first.value.data;
        try {
          for (;;) {
            const next = await chunks.next();
            if (next.done) return;
            yield next.value.data;
          }
        } catch (err) {
          throw fromServiceError(err, label);
        }
      })(),
    );
  }

  async pageImage(job: JobRecord, index: number): Promise<PageImageFile> {
    const r = await this.grpc.unary<PageImageMsg, PageImageReply>('PageImage', { job_json: JSON.stringify(job), index }, this.renderMs);
    return { body: r.body, contentType: r.content_type, etag: r.etag };
  }

  close(): void {
    this.grpc.close();
  }
}
