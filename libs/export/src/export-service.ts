import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, JobRecord } from '@ocr/domain';
import { exportKey, type JobView } from '@ocr/jobs';
import type { ExportContext, Exporter } from './exporter';

/** Options every format honours (which text of the job is exported), so they key the cache too. */
const SHARED_OPTIONS = ['lang'] as const;

export interface ExportSources {
  sourceOf(job: JobRecord): Promise<{ path: string; release: () => Promise<void> } | null>;
}

/**
 * Renders each (job, format, options) once and keeps the file with the job's blobs, so repeated
 * downloads stream from storage instead of rendering (and holding) the document again.
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
        await this.blobs.put(key, await exporter.render(await view(), context));
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
