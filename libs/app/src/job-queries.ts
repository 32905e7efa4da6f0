import type { Readable } from 'node:stream';
import { AppError, type JobRecord } from '@ocr/domain';
import type { JobView } from '@ocr/jobs';
import { exporterFor } from '@ocr/export';
import type { ExportApi, IngestApi } from './services';

export interface Download {
  body: Readable;
  contentType: string;
  filename: string;
}

function contentDispositionName(original: string | null, uuid: string, extension: string, suffix = ''): string {
  const stem = (original ?? uuid).replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').slice(0, 100) || uuid;
  return `${stem}${suffix.replace(/[^\w.-]+/g, '_')}.${extension}`;
}

/** Reading, downloading and deleting a caller's jobs. */
export class JobQueries {
  constructor(
    private readonly ingest: IngestApi,
    private readonly exports: ExportApi,
  ) {}

  async get(owner: string, uuid: string): Promise<JobView> {
    return this.ingest.viewOwned(uuid, owner);
  }

  async delete(owner: string, uuid: string): Promise<void> {
    await this.ingest.delete(await this.ingest.getOwned(uuid, owner));
  }

  async download(owner: string, uuid: string, format: unknown, lang: unknown, query: Record<string, string>): Promise<Download> {
    const job: JobRecord = await this.ingest.getOwned(uuid, owner);
    if (typeof format !== 'string' || format === '') {
      throw new AppError('invalid_field', 'format is required, e.g. ?format=txt', { field: 'format' });
    }
    const exporter = exporterFor(format);
    if (job.status !== 'done') {
      const why = job.status === 'failed' ? `job failed: ${job.error ?? 'unknown reason'}` : `job is ${job.status}`;
      throw new AppError('not_ready', `${why}; downloads are available once the job is done`, { status: job.status });
    }
    if (lang !== undefined && typeof lang !== 'string') {
      throw new AppError('invalid_field', "lang must be 'original' or 'translated'", { field: 'lang', valid: ['original', 'translated'] });
    }
    const body = await this.exports.open(job, exporter.format, lang ?? null, query);
    const suffix = lang === 'translated' ? `.${job.options.translate_to ?? 'translated'}` : '';
    return { body, contentType: exporter.contentType, filename: contentDispositionName(job.original_filename, job.uuid, exporter.extension, suffix) };
  }
}
