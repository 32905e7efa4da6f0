import { sourcePageIndex, type JobRecord, type JobStatus, type PageContent, type PageRecord, type PageStatus, type PageTimings, type Tier } from '@ocr/domain';

/** One page as the API shows it: the contract's {index, text, blocks} plus what is needed to draw boxes. */
export interface PageView extends Omit<Partial<PageContent>, 'timings'> {
  index: number;
  status: PageStatus;
  text: string;
  markdown: string;
  blocks: PageContent['blocks'];
  error: string | null;
  engine_ms: number | null;
  /** The page's 1-based number in the uploaded file (differs from index + 1 with `pages=`); always set by buildJobView. */
  source_page?: number;
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
  /** The 1-based page numbers in the uploaded file that the job's pages are, in order (`pages=`); always set by buildJobView. */
  source_pages?: number[];
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
  /** `callback_url` on submit, and its delivery's attempts once the job finished. */
  callback_url?: string;
  webhook?: JobRecord['webhook'];
  /** tool=translate: the whole job in translate_to, beside the original (once finished). */
  translation?: { language: string; text: string; markdown: string; pages_translated: number };
}

/** Pages are separated in `text` by a form feed, as pdftotext does. */
export const TEXT_PAGE_SEPARATOR = '\f';

export function markdownPageBreak(pageNumber: number): string {
  return `\n\n<!-- page ${pageNumber} -->\n\n`;
}

/** One page of the job view: its record, and its content once done. */
export function pageView(record: PageRecord, content: PageContent | null, job: Pick<JobRecord, 'source_pages'>): PageView {
  return {
    ...(content ?? {}),
    index: record.index,
    status: record.status,
    text: content?.text ?? '',
    markdown: content?.markdown ?? '',
    blocks: content?.blocks ?? [],
    error: record.error,
    engine_ms: record.engine_ms,
    source_page: sourcePageIndex(job, record.index) + 1,
    timings: record.timings ?? null,
  };
}

function wordCount(content: PageView): number {
  return content.blocks.reduce((n, b) => n + b.lines.reduce((m, l) => m + l.words.length, 0), 0);
}

/**
 * The job-wide fields, gathered page by page in order: a long document's pages need not all be held
 * at once to know its text, confidence and languages (streamed exports read them one at a time).
 */
export class JobTotals {
  private weighted = 0;
  private words = 0;
  private readonly detected = new Set<string>();
  private readonly texts: string[] = [];
  private readonly markdowns: string[] = [];
  private readonly translatedTexts: string[] = [];
  private readonly translatedMarkdowns: string[] = [];
  private translated = 0;

  /** Adds the next page (pages come in index order). */
  add(view: PageView): void {
    if (view.status === 'done' && view.mean_confidence !== undefined) {
      const n = wordCount(view);
      this.weighted += view.mean_confidence * n;
      this.words += n;
      for (const l of view.languages ?? []) this.detected.add(l);
    }
    const pageBreak = this.texts.length === 0 ? '' : markdownPageBreak(this.texts.length + 1);
    this.texts.push(view.text);
    this.markdowns.push(pageBreak + view.markdown);
    this.translatedTexts.push(view.translation?.text ?? view.text);
    this.translatedMarkdowns.push(pageBreak + (view.translation?.markdown ?? view.markdown));
    if (view.translation) this.translated++;
  }

  /** The job view with these totals and the given pages (none, for a view whose pages are streamed). */
  view(job: JobRecord, pages: PageView[]): JobView {
    const complete = job.status === 'done' || job.status === 'failed';
    return {
      uuid: job.uuid,
      status: job.status,
      tier: job.options.tier,
      language: job.options.language,
      tool: job.options.tool,
      translate_to: job.options.translate_to,
      page_count: job.page_count,
      source_pages: job.source_pages ?? Array.from({ length: job.page_count }, (_, i) => i + 1),
      pages_done: job.pages_done,
      pages_failed: job.pages_failed,
      mean_confidence: this.words > 0 ? Math.round((this.weighted / this.words) * 10_000) / 10_000 : 0,
      text: complete ? this.texts.join(TEXT_PAGE_SEPARATOR) : '',
      markdown: complete ? this.markdowns.join('') : '',
      detected_languages: [...this.detected],
      error: job.error,
      warnings: job.warnings ?? [],
      created_at: job.created_at,
      finished_at: job.finished_at,
      pages,
      ...(job.callback_url ? { callback_url: job.callback_url } : {}),
      ...(job.webhook ? { webhook: job.webhook } : {}),
      // The job's translation, page by page as `text` and `markdown` are (untranslated pages: original).
      ...(complete && job.options.translate_to
        ? {
            translation: {
              language: job.options.translate_to,
              text: this.translatedTexts.join(TEXT_PAGE_SEPARATOR),
              markdown: this.translatedMarkdowns.join(''),
              pages_translated: this.translated,
            },
          }
        : {}),
    };
  }
}

export function buildJobView(job: JobRecord, pages: PageRecord[], contents: Map<number, PageContent>): JobView {
  const totals = new JobTotals();
  const views = pages.map((p) => pageView(p, contents.get(p.index) ?? null, job));
  for (const v of views) totals.add(v);
  return totals.view(job, views);
}
