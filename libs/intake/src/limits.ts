import { AppError } from '@ocr/domain';

export interface IntakeLimits {
  maxPages: number;
  maxPixelsPerPage: number;
  /** Resolution scanned PDF pages are rasterised at, and text-layer pages measured at. */
  dpi: number;
  timeoutMs: number;
}

export function checkPageCount(pageCount: number, limits: IntakeLimits): void {
  if (pageCount < 1) throw new AppError('invalid_document', 'the document has no pages');
  if (pageCount > limits.maxPages) {
    throw new AppError('too_many_pages', `the document has ${pageCount} pages; the limit is ${limits.maxPages} (MAX_PAGES_PER_FILE)`, {
      page_count: pageCount,
      max: limits.maxPages,
    });
  }
}

/** Checked from headers, before any pixel is decoded: decompression bombs never reach memory. */
export function checkPixels(width: number, height: number, limits: IntakeLimits, page?: number): void {
  if (!(width > 0 && height > 0)) throw new AppError('invalid_document', 'the image has no pixels');
  if (width * height > limits.maxPixelsPerPage) {
    const where = page === undefined ? '' : ` (page ${page + 1})`;
    throw new AppError(
      'image_too_large',
      `the image${where} is ${width}x${height} pixels; the limit is ${limits.maxPixelsPerPage} pixels per page (MAX_PIXELS_PER_PAGE)`,
      { width, height, max_pixels: limits.maxPixelsPerPage },
    );
  }
}
