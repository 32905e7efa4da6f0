import { markdownPageBreak } from '@ocr/jobs';
import type { Exporter } from '../exporter';

export const markdownExporter: Exporter = {
  format: 'md',
  contentType: 'text/markdown; charset=utf-8',
  extension: 'md',
  render: async (job) => Buffer.from(job.markdown.endsWith('\n') ? job.markdown : `${job.markdown}\n`, 'utf8'),
  stream: async function* (job) {
    let number = 0;
    let last = '';
    for await (const page of job.pages()) {
      const piece = (number === 0 ? '' : markdownPageBreak(number + 1)) + page.markdown;
      number++;
      if (piece) last = piece;
      yield piece;
    }
    if (!last.endsWith('\n')) yield '\n';
  },
};
