import type { JobRecord, PageContent } from '@ocr/domain';

/** Turns one page of a job's upload into its content. Implemented by the OCR workers. */
export interface PageProcessor {
  process(job: JobRecord, index: number, uploadPath: string): Promise<PageContent>;
}
