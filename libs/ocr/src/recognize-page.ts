import type { PageContent } from '@ocr/domain';
import { buildBlocks, meanConfidence, renderMarkdown, renderText } from '@ocr/layout';
import type { OcrEngine, RecognizedPage } from './engine';
import { estimateSkew } from './deskew';
import { detectTextLanguage } from './language-detect';
import { defaultLanguageForScript, scriptModelFor, type LanguageInfo } from './languages';
import type { EnginePool } from './pool';
import { rotateImage } from './transform';

export interface RecognizePageOptions {
  languages: string[] | 'auto';
  dpi: number;
  /** Whether `dpi` comes from the file (else it is a guess and Tesseract estimates its own). */
  dpiFromFile: boolean;
  timeoutMs: number;
  workDir: string;
  /** Installed languages, for auto detection. */
  available: readonly LanguageInfo[];
  tessdataDir: string | null;
}

/** Below this skew (degrees) rotating costs more than Tesseract loses. */
const MIN_DESKEW_DEG = 0.3;
/** A first pass below this mean word confidence is suspect: wrong orientation, script or binarisation. */
const SUSPECT_CONFIDENCE = 0.6;
/** OSD claims below this confidence are ignored (it misreads typewritten pages at ~2-5). */
const MIN_OSD_CONFIDENCE = 1.5;

interface Pass {
  page: RecognizedPage;
  imagePath: string;
  languages: string[];
  rotation: 0 | 90 | 180 | 270;
  score: number;
  confidence: number;
  text: string;
  variables: Record<string, string>;
}

/**
 * How much confidently recognised text a pass found: characters weighted by confidence squared,
 * so a pass that turns noise into many low-confidence glyphs does not beat a clean reading.
 */
function scorePass(page: RecognizedPage): { score: number; confidence: number } {
  let score = 0;
  let sum = 0;
  for (const w of page.words) {
    score += w.text.length * w.confidence * w.confidence;
    sum += w.confidence;
  }
  return { score, confidence: page.words.length ? sum / page.words.length : 0 };
}

class PagePipeline {
  readonly warnings: string[] = [];
  script: string | undefined;

  constructor(
    private readonly engine: OcrEngine,
    private readonly opts: RecognizePageOptions,
  ) {}

  async pass(
    imagePath: string,
    languages: string[],
    rotation: Pass['rotation'],
    variables: Record<string, string> = {},
  ): Promise<Pass> {
    const page = await this.engine.recognize({
      imagePath,
      languages,
      ...(this.opts.dpiFromFile ? { dpi: this.opts.dpi } : {}),
      timeoutMs: this.opts.timeoutMs,
      variables,
    });
    const { score, confidence } = scorePass(page);
    return { page, imagePath, languages, rotation, score, confidence, text: page.words.map((w) => w.text).join(' '), variables };
  }

  /** Only a pass that reads better replaces the current one: no heuristic is trusted blindly. */
  better(current: Pass, candidate: Pass): Pass {
    return candidate.score > current.score * 1.05 ? candidate : current;
  }

  async fixOrientation(best: Pass): Promise<Pass> {
    const osd = await this.engine.detectOrientation(best.imagePath, this.opts.timeoutMs);
    if (osd.scriptConfidence > 0) this.script = osd.script;
    if (osd.rotate === 0 || osd.orientationConfidence < MIN_OSD_CONFIDENCE) return best;
    const rotated = await rotateImage(best.imagePath, osd.rotate, this.opts.workDir);
    const candidate = await this.pass(rotated, best.languages, osd.rotate);
    const chosen = this.better(best, candidate);
    if (chosen === candidate) this.warnings.push(`page was rotated by ${osd.rotate} degrees before recognition`);
    return chosen;
  }

  /** A non-Latin script read with an English model is garbage: retry with the script's model. */
  async fixScript(best: Pass): Promise<Pass> {
    if (!this.script || this.script === 'Latin') return best;
    const model = scriptModelFor(this.script, this.opts.tessdataDir);
    const fallback = defaultLanguageForScript(this.script);
    const languages = model ? [model] : fallback && this.opts.available.some((l) => l.tesseract === fallback) ? [fallback] : null;
    if (!languages) return best;
    return this.better(best, await this.pass(best.imagePath, languages, best.rotation));
  }

  async fixLanguage(best: Pass): Promise<Pass> {
    const detected = detectTextLanguage(best.text, this.opts.available);
    if (!detected || best.languages.length === 1 && best.languages[0] === detected) return best;
    return this.better(best, await this.pass(best.imagePath, [detected], best.rotation, best.variables));
  }

  /** Tesseract's global Otsu threshold fails on tinted or unevenly lit paper; the tiled one copes. */
  async fixBinarisation(best: Pass): Promise<Pass> {
    return this.better(best, await this.pass(best.imagePath, best.languages, best.rotation, { thresholding_method: '1' }));
  }
}

/**
 * One page image (8-bit, any format Tesseract reads) to PageContent: deskew, recognise, and only
 * when the first reading is poor, check orientation, script and binarisation. With `auto`, the
 * language of the text decides a second reading. Upright clean pages cost one recognition.
 */
export async function recognizePage(pool: EnginePool, imagePath: string, opts: RecognizePageOptions): Promise<PageContent> {
  return pool.run(async (engine) => {
    const pipeline = new PagePipeline(engine, opts);
    const skew = await estimateSkew(imagePath).catch(() => 0);
    const straight = Math.abs(skew) >= MIN_DESKEW_DEG ? await rotateImage(imagePath, -skew, opts.workDir) : imagePath;
    const auto = opts.languages === 'auto';
    let best = await pipeline.pass(straight, auto ? ['eng'] : (opts.languages as string[]), 0);

    if (best.confidence < SUSPECT_CONFIDENCE) {
      best = await pipeline.fixOrientation(best);
      if (auto) best = await pipeline.fixScript(best);
    }
    if (auto) best = await pipeline.fixLanguage(best);
    if (best.confidence < SUSPECT_CONFIDENCE) best = await pipeline.fixBinarisation(best);

    const blocks = buildBlocks(best.page.words);
    return {
      width: best.page.width,
      height: best.page.height,
      dpi: opts.dpi,
      rotation: best.rotation,
      skew: straight === imagePath ? 0 : skew,
      source: 'ocr',
      languages: best.languages,
      ...(pipeline.script ? { script: pipeline.script } : {}),
      text: renderText(blocks),
      markdown: renderMarkdown(blocks),
      mean_confidence: meanConfidence(blocks),
      blocks,
      warnings: pipeline.warnings,
    };
  });
}
