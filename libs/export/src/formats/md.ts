import type { Exporter } from '../exporter';

export const markdownExporter: Exporter = {
  format: 'md',
  contentType: 'text/markdown; charset=utf-8',
  extension: 'md',
  render: async (job) => Buffer.from(job.markdown.endsWith('\n') ? job.markdown : `${job.markdown}\n`, 'utf8'),
};
