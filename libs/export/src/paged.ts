import type { JobView, PagedJobView } from '@ocr/jobs';
import type { ExportChunk } from './exporter';

/** A job already held whole, seen page by page: `render` of a streaming format is its `stream` over this. */
export function pagedOf(job: JobView): PagedJobView {
  return {
    uuid: job.uuid,
    view: async () => ({ ...job, pages: [] }),
    pages: async function* () {
      yield* job.pages;
    },
  };
}

/** Every piece of a stream, in one buffer (text as UTF-8). */
export async function collect(pieces: AsyncIterable<ExportChunk>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of pieces) parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
  return Buffer.concat(parts);
}
