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

/**
 * What one file may cost on the caller's plan, judged from headers before anything is decoded:
 * frames of a multi-frame image and decoded pixels summed over every page. The names say which
 * settings to quote when a file is over them.
 */
export interface FileBudget {
  plan: string;
  maxFrames: number;
  maxPixels: number;
  framesSetting: string;
  pixelsSetting: string;
}

function overBudget(limit: 'frames_per_file' | 'pixels_per_file', used: number, cap: number, budget: FileBudget, what: string, setting: string): AppError {
  return new AppError('payload_too_large', `${what}; the ${budget.plan} plan takes at most ${cap.toLocaleString('en')} per file (${setting})`, {
    limit,
    used,
    cap,
    plan: budget.plan,
  });
}

export function checkFrames(frames: number, budget: FileBudget | undefined): void {
  if (budget && frames > budget.maxFrames) {
    throw overBudget('frames_per_file', frames, budget.maxFrames, budget, `this image has ${frames} frames`, budget.framesSetting);
  }
}

export function checkTotalPixels(pixels: number, budget: FileBudget | undefined): void {
  if (budget && pixels > budget.maxPixels) {
    const what = `this file decodes to ${pixels.toLocaleString('en')} pixels`;
    throw overBudget('pixels_per_file', pixels, budget.maxPixels, budget, what, budget.pixelsSetting);
  }
}

/**
 * Keeps a tool's own words (poppler, libtiff, libpng) on the error for the log, out of the message
 * the user reads: they rarely say what to do.
 */
export function withCause<E extends Error>(err: E, cause: string): E {
  Object.defineProperty(err, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return err;
}
