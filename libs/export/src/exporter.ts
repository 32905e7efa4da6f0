import type { JobView } from '@ocr/jobs';

/** One download format. A new format is one new file implementing this, plus its line in registry.ts. */
export interface Exporter {
  readonly format: string;
  readonly contentType: string;
  readonly extension: string;
  render(job: JobView): Promise<Buffer>;
}
