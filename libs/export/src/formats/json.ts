import type { Exporter } from '../exporter';

/** Where the pages go in the pretty-printed job: its top-level `pages` key (indent 2), written empty. */
const PAGES_SLOT = '\n  "pages": []';

export const jsonExporter: Exporter = {
  format: 'json',
  contentType: 'application/json; charset=utf-8',
  extension: 'json',
  render: async (job) => Buffer.from(JSON.stringify(job, null, 2), 'utf8'),
  // The job printed with no pages, split at its `pages` slot, the pages printed one by one in
  // between at their depth: byte for byte what `render` prints.
  stream: async function* (job) {
    const outline = JSON.stringify(await job.view(), null, 2);
    const at = outline.indexOf(PAGES_SLOT);
    let written = 0;
    yield outline.slice(0, at) + '\n  "pages": [';
    for await (const page of job.pages()) {
      yield `${written++ === 0 ? '' : ','}\n    ${JSON.stringify(page, null, 2).replace(/\n/g, '\n    ')}`;
    }
    yield (written === 0 ? ']' : '\n  ]') + outline.slice(at + PAGES_SLOT.length);
  },
};
