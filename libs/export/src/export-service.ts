import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore, JobRecord } from '@ocr/domain';
import { exportKey, type JobView, type PagedJobView } from '@ocr/jobs';
import type { ExportContext, Exporter } from './exporter';

/** Options every format honours (which text of the job is exported), so they key the cache too. */
const SHARED_OPTIONS = ['lang'] as const;

export interface ExportSources {
  sourceOf(job: JobRecord): Promise<{ path: string; release: () => Promise<void> } | null>;
  /** The finished job with its pages read one at a time, for formats that stream. */
  pagedView(job: JobRecord): Promise<PagedJobView>;
}

/**
 * Renders each (job, format, options) once and keeps the file with the job's blobs, so repeated
 * downloads stream from storage instead of rendering (and holding) the document again. Formats
 * that can be written page by page are streamed into storage, one page in memory at a time.
 */
export class ExportService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly sources: ExportSources,
    private readonly scratchRoot: string,
    private readonly environment: Pick<ExportContext, 'tessdataDir' | 'limits'>,
  ) {}

  async open(job: JobRecord, view: () => Promise<JobView>, exporter: Exporter, query: Record<string, string>): Promise<Readable> {
    const options: Record<string, string> = {};
    for (const name of [...SHARED_OPTIONS, ...(exporter.optionNames ?? [])]) {
      const value = query[name];
      if (value !== undefined) options[name] = value;
    }
    const key = exportKey(job.uuid, cacheName(exporter, options));
    if (!(await this.blobs.exists(key))) {
      const scratchDir = await mkdtemp(join(this.scratchRoot, 'export-'));
      try {
        const context: ExportContext = {
          inputKind: job.input_kind,
          source: () => this.sources.sourceOf(job),
          scratchDir,
          options,
          ...this.environment,
        };
        // A translated download replaces every page's text first: it takes the whole view.
        if (exporter.stream && [undefined, '', 'original'].includes(options['lang'])) {
          const pieces = exporter.stream(await this.sources.pagedView(job), context);
          await this.blobs.put(key, Readable.from(utf8(pieces)));
        } else {
          await this.blobs.put(key, await exporter.render(await view(), context));
        }
      } finally {
        await rm(scratchDir, { recursive: true, force: true });
      }
    }
    return this.blobs.stream(key);
  }
}

function cacheName(exporter: Exporter, options: Record<string, string>): string {
  const suffix = Object.keys(options)
    .sort()
    .map((k) => `${k}=${encodeURIComponent(options[k] ?? '')}`)
    .join('&');
  return suffix ? `${exporter.format}.${Buffer.from(suffix).toString('base64url')}.${exporter.extension}` : `${exporter.format}.${exporter.extension}`;
}

/** Pieces of text as UTF-8 chunks of a useful size (a stream of tiny strings costs per chunk). */
async function* utf8(pieces: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for await (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size >= 64 * 1024) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.from(pending.join(''), 'utf8');
}
