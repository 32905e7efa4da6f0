import { AppError } from '@ocr/domain';
import { preparePage } from '@ocr/intake';
import type { PagedJobView } from '@ocr/jobs';
import type { ExportContext, Exporter } from '../exporter';
import { collect, pagedOf } from '../paged';
import { overlayOnPdf, pagesFromImages } from '../pdf/compose';

/** The searchable PDF, page by page: each page's objects are written before the next page is read. */
async function* searchablePdf(job: PagedJobView, context: ExportContext): AsyncGenerator<Uint8Array> {
  const source = await context.source();
  if (!source) {
    throw new AppError('not_ready', 'the original document of this job is no longer kept, so no searchable PDF can be made', {});
  }
  try {
    if (context.inputKind === 'pdf') {
      yield* overlayOnPdf(source.path, job.pages(), context.tessdataDir, context.limits.timeoutMs);
      return;
    }
    const images = {
      imagePath: async (index: number) => {
        const prepared = await preparePage(source.path, context.inputKind, index, context.scratchDir, context.limits);
        if (prepared.kind !== 'image') throw new AppError('invalid_document', 'an image page has no image');
        return { path: prepared.imagePath, dpi: prepared.dpi };
      },
    };
    yield* pagesFromImages(context.inputKind, source.path, job.pages(), images, context.tessdataDir, context.limits.timeoutMs);
  } finally {
    await source.release();
  }
}

/** Searchable PDF: the original pages with an invisible, selectable text layer on the words. */
export const pdfExporter: Exporter = {
  format: 'pdf',
  contentType: 'application/pdf',
  extension: 'pdf',
  render: (job, context) => collect(searchablePdf(pagedOf(job), context)),
  stream: searchablePdf,
};
