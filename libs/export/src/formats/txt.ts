import type { Exporter } from '../exporter';

export const txtExporter: Exporter = {
  format: 'txt',
  contentType: 'text/plain; charset=utf-8',
  extension: 'txt',
  render: async (job) => Buffer.from(job.text.endsWith('\n') ? job.text : `${job.text}\n`, 'utf8'),
};
