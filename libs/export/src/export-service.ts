import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore, JobRecord } from '@ocr/domain';
import { exportKey, type JobView, type PagedJobView } from '@ocr/jobs';
import type { ExportChunk, ExportContext, Exporter } from './exporter';

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
          // The first piece is awaited before anything is stored: a format that refuses the job
          // does so there, and its error reaches the client as it would from render().
          const pieces = coalesce(exporter.stream(await this.sources.pagedView(job), context))[Symbol.asyncIterator]();
          const first = await pieces.next();
          try {
            await this.blobs.put(key, Readable.from(resume(first, pieces)));
          } finally {
            // A store that failed before reading everything leaves the format's files to release.
            await pieces.return(undefined);
          }
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

/** Pieces as byte chunks of a useful size (text as UTF-8): a stream of tiny chunks costs per chunk. */
async function* coalesce(pieces: AsyncIterable<ExportChunk>): AsyncGenerator<Buffer> {
  const CHUNK = 64 * 1024;
  let pending: Buffer[] = [];
  let size = 0;
  for await (const piece of pieces) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (bytes.length >= CHUNK && size === 0) {
      yield bytes;
      continue;
    }
    pending.push(bytes);
    size += bytes.length;
    if (size >= CHUNK) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}

/** The rest of an iteration whose first result was already taken; ended early, the source is ended too (its files released). */
async function* resume<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  let finished = Boolean(first.done);
  try {
    if (first.done) return;
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    finished = true;
  } finally {
    if (!finished) await rest.return?.();
  }
}
