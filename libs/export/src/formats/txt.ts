import { TEXT_PAGE_SEPARATOR } from '@ocr/jobs';
import type { Exporter } from '../exporter';

export const txtExporter: Exporter = {
  format: 'txt',
  contentType: 'text/plain; charset=utf-8',
  extension: 'txt',
  render: async (job) => Buffer.from(job.text.endsWith('\n') ? job.text : `${job.text}\n`, 'utf8'),
  stream: async function* (job) {
    let first = true;
    let last = '';
    for await (const page of job.pages()) {
      const piece = (first ? '' : TEXT_PAGE_SEPARATOR) + page.text;
      first = false;
      if (piece) last = piece;
      yield piece;
    }
    if (!last.endsWith('\n')) yield '\n';
  },
};
