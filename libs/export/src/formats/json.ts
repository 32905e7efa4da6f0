import type { Exporter } from '../exporter';

export const jsonExporter: Exporter = {
  format: 'json',
  contentType: 'application/json; charset=utf-8',
  extension: 'json',
  render: async (job) => Buffer.from(JSON.stringify(job, null, 2), 'utf8'),
};
