import { AppError } from '@ocr/domain';
import { preparePage } from '@ocr/intake';
import type { Exporter } from '../exporter';
import { overlayOnPdf, pagesFromImages } from '../pdf/compose';

/** Searchable PDF: the original pages with an invisible, selectable text layer on the words. */
export const pdfExporter: Exporter = {
  format: 'pdf',
  contentType: 'application/pdf',
  extension: 'pdf',
  render: async (job, context) => {
    const source = await context.source();
    if (!source) {
      throw new AppError('not_ready', 'the original document of this job is no longer kept, so no searchable PDF can be made', {});
    }
    try {
      const bytes =
        context.inputKind === 'pdf'
          ? await overlayOnPdf(source.path, job.pages, context.tessdataDir, context.limits.timeoutMs)
          : await pagesFromImages(
              context.inputKind,
              source.path,
              job.pages,
              {
                imagePath: async (index) => {
                  const prepared = await preparePage(source.path, context.inputKind, index, context.scratchDir, context.limits);
                  if (prepared.kind !== 'image') throw new AppError('invalid_document', 'an image page has no image');
                  return { path: prepared.imagePath, dpi: prepared.dpi };
                },
              },
              context.tessdataDir,
              context.limits.timeoutMs,
            );
      return Buffer.from(bytes);
    } finally {
      await source.release();
    }
  },
};
