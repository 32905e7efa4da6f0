import { Document, Packer } from 'docx';
import type { JobView } from '@ocr/jobs';
import type { Exporter } from '../exporter';
import { Lists, pageSection } from './docx-sections';
import { documentOptions, streamDocx } from './docx-stream';

/** The Word document built whole by docx: what the page-by-page writer must match. */
export async function renderDocx(job: JobView): Promise<Buffer> {
  const lists = new Lists();
  const sections = job.pages.map((page, i) => pageSection(page, i === 0, lists));
  return Packer.toBuffer(new Document({ ...documentOptions(job.uuid), sections }));
}

export const docxExporter: Exporter = {
  format: 'docx',
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: 'docx',
  render: (job) => renderDocx(job),
  stream: (job) => streamDocx(job),
};
