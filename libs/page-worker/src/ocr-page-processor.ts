import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY, scalingAffine, sourcePageIndex, type JobRecord, type PageContent, type PageTimings } from '@ocr/domain';
import type { Settings } from '@ocr/config';
import { preparePage, rasterisePage, TextLayerStreams, type IntakeLimits, type PreparedPage } from '@ocr/intake';
import { classifyBlocks, meanConfidence, renderMarkdown, renderText } from '@ocr/layout';
import { recognizePage, resolveLanguages, type EnginePool, type LanguageInfo } from '@ocr/ocr';
import { findToolPreset, type PageProcessor } from '@ocr/jobs';
import { DEFAULT_VLM_PROMPT, recognizeVlmPage, type VlmEngine, type VlmSettings } from '@ocr/ai';
import { findPageTables, markdownWithTables } from '@ocr/tables';
import { EngineClock, since } from './stage-clock';

/** A text-layer page is rendered at this resolution to find its table rules: a 0.5 pt rule is still a pixel. */
const RULES_DPI = 150;

export function intakeLimits(settings: Settings): IntakeLimits {
  return {
    maxPages: settings.MAX_PAGES_PER_FILE,
    maxPixelsPerPage: settings.MAX_PIXELS_PER_PAGE,
    dpi: settings.RASTER_DPI,
    timeoutMs: settings.PAGE_TIMEOUT_SECONDS * 1000,
  };
}

/**
 * The cpu tier's page work: take the page out of the upload (text layer or raster), then
 * straighten, recognise and lay it out. Temporary page images live only for the call.
 */
export class OcrPageProcessor implements PageProcessor {
  /** PDF text layers are read one process per document as it goes, shared by the workers of a job. */
  private readonly textLayers = new TextLayerStreams();

  constructor(
    private readonly pool: EnginePool,
    private readonly languages: LanguageInfo[],
    private readonly tessdataDir: string | null,
    private readonly settings: Settings,
    private readonly scratchDir: string = tmpdir(),
    /** The vlm tier's engine; null when no vision model is configured. */
    private readonly vlm: { engine: VlmEngine; settings: VlmSettings } | null = null,
  ) {}

  async process(job: JobRecord, index: number, uploadPath: string): Promise<PageContent> {
    const started = Date.now();
    const limits = intakeLimits(this.settings);
    let workDir: Promise<string> | null = null;
    // Made when the page first needs a file (an image to read); a text-layer page needs none.
    const scratch = () => (workDir ??= mkdtemp(join(this.scratchDir, `page-${job.uuid.slice(0, 8)}-${index}-`)));
    // Keeps idle engines for this page while its image is made (no other page borrows them).
    const engineAsked = this.pool.expect();
    try {
      const prepareStarted = performance.now();
      // With pages=, job page `index` is another page of the upload, and the text layer is read up to the last one chosen.
      const sourceIndex = sourcePageIndex(job, index);
      const lastSourcePage = job.source_pages ? Math.max(...job.source_pages) : job.page_count;
      const prepared = await preparePage(uploadPath, job.input_kind, sourceIndex, scratch, limits, () =>
        this.textLayers.page(job.uuid, uploadPath, sourceIndex, lastSourcePage, limits),
      );
      const prepareMs = since(prepareStarted);
      const readStarted = performance.now();
      const clock = new EngineClock();
      // Leave a few seconds of the page's limit for a vlm page's cpu fallback to finish.
      const page = await this.read(job, prepared, limits.timeoutMs, scratch, started + limits.timeoutMs - 5_000, clock, engineAsked);
      const readMs = since(readStarted);
      const tablesStarted = performance.now();
      const pageImage =
        prepared.kind === 'image'
          ? async () => ({ path: prepared.imagePath, transform: page.transform ?? IDENTITY })
          : async () => ({ path: await rasterisePage(uploadPath, sourceIndex, await scratch(), limits, RULES_DPI), transform: scalingAffine(prepared.dpi / RULES_DPI) });
      const tables = await findPageTables(page, pageImage, job.options.tool === 'extract-tables');
      const stages =
        prepared.kind === 'text-layer'
          ? { extract_ms: prepared.extractMs, layout_ms: readMs }
          : { rasterise_ms: prepareMs, ...this.readStages(job, clock, readMs) };
      const timings: PageTimings = { ...stages, tables_ms: since(tablesStarted) };
      if (tables.length === 0) return { ...page, timings };
      // On the vlm tier the model writes its own Markdown tables.
      return { ...page, tables, markdown: job.options.tier === 'vlm' ? page.markdown : markdownWithTables(page.blocks, tables), timings };
    } finally {
      engineAsked();
      // Assigned inside `scratch`, which the compiler's narrowing of `workDir` to null does not see.
      const made = await (workDir as Promise<string> | null)?.catch(() => null);
      if (made) await rm(made, { recursive: true, force: true });
    }
  }

  /** How an image page's reading divides into engine stages (the vlm tier: the model's time). */
  private readStages(job: JobRecord, clock: EngineClock, readMs: number): Omit<PageTimings, 'tables_ms'> {
    const stages = clock.stages(readMs);
    if (job.options.tier === 'vlm' && this.vlm) return { ...stages, model_ms: stages.layout_ms, layout_ms: 0 };
    return stages;
  }

  private async read(
    job: JobRecord,
    prepared: PreparedPage,
    timeoutMs: number,
    scratch: () => Promise<string>,
    deadline: number,
    clock: EngineClock,
    engineAsked: () => void,
  ): Promise<PageContent> {
    if (prepared.kind === 'text-layer') {
      engineAsked();
      const blocks = classifyBlocks(prepared.blocks);
      return {
        width: prepared.width,
        height: prepared.height,
        dpi: prepared.dpi,
        rotation: 0,
        skew: 0,
        source: 'text-layer',
        languages: [],
        text: renderText(blocks),
        markdown: renderMarkdown(blocks),
        mean_confidence: meanConfidence(blocks),
        blocks,
        warnings: [],
      };
    }
    const languages = resolveLanguages(job.options.language, this.languages);
    // An image page made its directory when it was prepared: this is that one.
    const workDir = await scratch();
    // Withdrawn right before recognizePage takes an engine (synchronously, no await between).
    const readWithTesseract = (boxesOnly: boolean) => {
      engineAsked();
      return recognizePage(clock.timed(this.pool), prepared.imagePath, {
        // Line boxes do not need the language hunt of `auto`: English finds the lines of any Latin page.
        languages: boxesOnly && languages === 'auto' ? ['eng'] : languages,
        dpi: prepared.dpi,
        dpiFromFile: prepared.dpiFromFile,
        timeoutMs,
        workDir,
        available: this.languages,
        tessdataDir: this.tessdataDir,
        recovery: this.settings.OCR_RECOVERY,
      });
    };
    if (job.options.tier === 'vlm' && this.vlm) {
      // The model reads the page; an engine only if it falls back.
      engineAsked();
      const prompt = (job.options.tool ? findToolPreset(job.options.tool)?.prompt : null) ?? DEFAULT_VLM_PROMPT;
      return recognizeVlmPage(this.vlm.engine, prepared.imagePath, prompt, this.vlm.settings, () => readWithTesseract(true), prepared.dpi, deadline);
    }
    return readWithTesseract(false);
  }
}
