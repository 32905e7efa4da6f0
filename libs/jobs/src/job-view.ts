import type { JobRecord, JobStatus, PageContent, PageRecord, PageStatus, PageTimings, Tier } from '@ocr/domain';

/** One page as the API shows it: the contract's {index, text, blocks} plus what is needed to draw boxes. */
export interface PageView extends Omit<Partial<PageContent>, 'timings'> {
  index: number;
  status: PageStatus;
  text: string;
  markdown: string;
  blocks: PageContent['blocks'];
  error: string | null;
  engine_ms: number | null;
  /** Where the page's time went, stage by stage (docs/API-NOTES.md); null until the page is done. */
  timings?: PageTimings | null;
}

/** The job object of the contract; fields beyond it are additions the contract allows. */
export interface JobView {
  uuid: string;
  status: JobStatus;
  tier: Tier;
  language: string;
  tool: string | null;
  translate_to: string | null;
  page_count: number;
  pages_done: number;
  pages_failed: number;
  mean_confidence: number;
  text: string;
  markdown: string;
  detected_languages: string[];
  error: string | null;
  warnings: string[];
  created_at: string;
  finished_at: string | null;
  pages: PageView[];
  /** tool=translate: the whole job in translate_to, beside the original (once finished). */
  translation?: { language: string; text: string; markdown: string; pages_translated: number };
}

/** Pages are separated in `text` by a form feed, as pdftotext does. */
export const TEXT_PAGE_SEPARATOR = '\f';

export function markdownPageBreak(pageNumber: number): string {
  return `\n\n<!-- page ${pageNumber} -->\n\n`;
}

function pageView(record: PageRecord, content: PageContent | null): PageView {
  return {
    ...(content ?? {}),
    index: record.index,
    status: record.status,
    text: content?.text ?? '',
    markdown: content?.markdown ?? '',
    blocks: content?.blocks ?? [],
    error: record.error,
    engine_ms: record.engine_ms,
    timings: record.timings ?? null,
  };
}

function wordCount(content: PageContent): number {
  return content.blocks.reduce((n, b) => n + b.lines.reduce((m, l) => m + l.words.length, 0), 0);
}

export function buildJobView(job: JobRecord, pages: PageRecord[], contents: Map<number, PageContent>): JobView {
  const views = pages.map((p) => pageView(p, contents.get(p.index) ?? null));
  const finished = [...contents.values()];
  let weighted = 0;
  let words = 0;
  for (const c of finished) {
    const n = wordCount(c);
    weighted += c.mean_confidence * n;
    words += n;
  }
  const detected = new Set<string>();
  for (const c of finished) for (const l of c.languages) detected.add(l);
  const complete = job.status === 'done' || job.status === 'failed';
  return {
    uuid: job.uuid,
    status: job.status,
    tier: job.options.tier,
    language: job.options.language,
    tool: job.options.tool,
    translate_to: job.options.translate_to,
    page_count: job.page_count,
    pages_done: job.pages_done,
    pages_failed: job.pages_failed,
    mean_confidence: words > 0 ? Math.round((weighted / words) * 10_000) / 10_000 : 0,
    text: complete ? views.map((v) => v.text).join(TEXT_PAGE_SEPARATOR) : '',
    markdown: complete
      ? views.map((v, i) => (i === 0 ? v.markdown : markdownPageBreak(i + 1) + v.markdown)).join('')
      : '',
    detected_languages: [...detected],
    error: job.error,
    warnings: job.warnings ?? [],
    created_at: job.created_at,
    finished_at: job.finished_at,
    pages: views,
    ...(complete && job.options.translate_to ? { translation: jobTranslation(job.options.translate_to, views) } : {}),
  };
}

/** The job's translation, page by page as `text` and `markdown` are (untranslated pages: original). */
function jobTranslation(language: string, views: PageView[]): NonNullable<JobView['translation']> {
  return {
    language,
    text: views.map((v) => v.translation?.text ?? v.text).join(TEXT_PAGE_SEPARATOR),
    markdown: views
      .map((v, i) => (i === 0 ? '' : markdownPageBreak(i + 1)) + (v.translation?.markdown ?? v.markdown))
      .join(''),
    pages_translated: views.filter((v) => v.translation).length,
  };
}
