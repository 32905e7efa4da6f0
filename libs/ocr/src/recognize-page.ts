import { composeAffine, IDENTITY, type Affine, type PageContent } from '@ocr/domain';
import { buildBlocks, meanConfidence, renderMarkdown, renderText } from '@ocr/layout';
import type { OcrEngine, RecognizedPage } from './engine';
import { estimateSkew } from './deskew';
import { rankTextLanguages } from './language-detect';
import { defaultLanguageForScript, scriptModelFor, type LanguageInfo } from './languages';
import type { EnginePool } from './pool';
import { imageSize, rotateImage, scaleImage } from './transform';
import { looksSideways, skewFromWords } from './word-skew';
import { linesRunVertically } from './line-axis';

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
  /** Extra readings for sideways, skewed or poorly read pages (OCR_RECOVERY). */
  recovery: boolean;
}

/** Below this skew (degrees) Tesseract reads as well as after a rotation, so no second reading. */
const MIN_DESKEW_DEG = 1;
/** A straightened reading is kept unless it scores below this share of the skewed one. */
const STRAIGHT_TOLERANCE = 0.95;
/** A first pass below this mean word confidence is suspect: wrong orientation, script or binarisation. */
const SUSPECT_CONFIDENCE = 0.6;
/**
 * With language=auto, a first (English) reading below this may be another script that the English
 * model half-reads (Greek, Cyrillic look-alikes): worth OSD's script detection.
 */
const AUTO_SCRIPT_CHECK_CONFIDENCE = 0.85;
/**
 * Plausible languages read in turn with `auto` until one reads better: neighbouring languages
 * (Croatian, Serbian, Czech) score within a hair of each other on text read without diacritics.
 */
const MAX_LANGUAGE_TRIES = 4;
/** Images whose longer side is below this are small crops whose text may be a few pixels high. */
const SMALL_IMAGE_SIDE = 1000;
/** Words lower than this (pixels, median) are too small for Tesseract's models. */
const SMALL_TEXT_PX = 14;
/** A first reading with fewer words than this found next to nothing. */
const FEW_WORDS = 5;
/** The enlarged image's longer side aims at this. */
const ENLARGED_SIDE = 2000;
const MAX_ENLARGEMENT = 4;

/** OSD claims below this confidence are ignored (it misreads typewritten pages at ~2-5). */
const MIN_OSD_CONFIDENCE = 1.5;
/** OSD script claims below this are noise (a tinted Danish page once came out as 'Arabic' at ~0.5). */
const MIN_SCRIPT_CONFIDENCE = 1;

interface Pass {
  page: RecognizedPage;
  imagePath: string;
  /** Degrees (clockwise positive) this pass's image was rotated back from the input's skew. */
  skew: number;
  languages: string[];
  rotation: 0 | 90 | 180 | 270;
  score: number;
  confidence: number;
  text: string;
  variables: Record<string, string>;
  /** Maps a pixel of the page as received to this pass's image. */
  transform: Affine;
}

/** A page image the readings start from, and how it relates to the page as received. */
interface Source {
  path: string;
  rotation: Pass['rotation'];
  transform: Affine;
}

/** The resolution of an image made from the received one by `transform` (enlargement raises it). */
function dpiOf(receivedDpi: number, [a, b, c, d]: Affine): number {
  return Math.round(receivedDpi * Math.sqrt(Math.abs(a * d - b * c)));
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
  scriptConfidence = 0;
  passes = 0;

  constructor(
    private readonly engine: OcrEngine,
    private readonly opts: RecognizePageOptions,
  ) {}

  async pass(
    imagePath: string,
    languages: string[],
    rotation: Pass['rotation'],
    variables: Record<string, string>,
    skew: number,
    transform: Affine,
  ): Promise<Pass> {
    this.passes++;
    const page = await this.engine.recognize({
      imagePath,
      languages,
      ...(this.opts.dpiFromFile ? { dpi: dpiOf(this.opts.dpi, transform) } : {}),
      timeoutMs: this.opts.timeoutMs,
      variables,
    });
    const { score, confidence } = scorePass(page);
    return { page, imagePath, skew, languages, rotation, score, confidence, text: page.words.map((w) => w.text).join(' '), variables, transform };
  }

  /**
   * Only a pass that reads better replaces the current one: no heuristic is trusted blindly. A
   * language model replaces a script model (Cyrillic -> rus) unless it reads clearly worse: it
   * carries the language's dictionary and the client wants to know the language.
   */
  better(current: Pass, candidate: Pass): Pass {
    const scriptModel = (p: Pass) => /^[A-Z]/.test(p.languages[0] ?? '');
    const factor = scriptModel(current) && !scriptModel(candidate) ? 0.9 : 1.05;
    return candidate.score > current.score * factor ? candidate : current;
  }

  /** Re-reads the page rotated back by `skew` degrees; keeps whichever reading is better. */
  async straighten(best: Pass, source: Source, skew: number): Promise<Pass> {
    if (Math.abs(skew) < MIN_DESKEW_DEG) return best;
    const straight = await rotateImage(source.path, -skew, this.opts.workDir);
    const transform = composeAffine(straight.transform, source.transform);
    const candidate = await this.pass(straight.path, best.languages, best.rotation, best.variables, skew, transform);
    // A skewed page often reads word for word as well as a straight one (the score ties) while its
    // lines come out cut and interleaved: measured skew is trusted unless the reading gets worse.
    return candidate.score >= best.score * STRAIGHT_TOLERANCE ? candidate : best;
  }

  /** OSD's script guess for the page, kept when it is confident. */
  async detectScript(best: Pass): Promise<void> {
    const osd = await this.engine.detectOrientation(best.imagePath, this.opts.timeoutMs);
    this.noteScript(osd);
  }

  private noteScript(osd: { script: string; scriptConfidence: number }): void {
    if (osd.scriptConfidence > 0) [this.script, this.scriptConfidence] = [osd.script, osd.scriptConfidence];
  }

  /**
   * A small image read poorly usually has text a few pixels high (a screenshot, a table crop):
   * Tesseract reads text of 20-30 px best, so it is read again enlarged.
   */
  async enlargeSmall(best: Pass): Promise<Pass> {
    // Text the first reading found at a readable height was misread for another reason (a turned
    // page, a tint): enlarging it would only cost a reading.
    const heights = best.page.words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
    if (heights.length >= FEW_WORDS && (heights[heights.length >> 1] ?? 0) >= SMALL_TEXT_PX) return best;
    const { width, height } = await imageSize(best.imagePath);
    const side = Math.max(width, height);
    if (side === 0 || side >= SMALL_IMAGE_SIDE) return best;
    const scaled = await scaleImage(best.imagePath, Math.min(MAX_ENLARGEMENT, ENLARGED_SIDE / side), this.opts.workDir);
    const transform = composeAffine(scaled.transform, best.transform);
    const candidate = await this.pass(scaled.path, best.languages, best.rotation, best.variables, best.skew, transform);
    const chosen = this.better(best, candidate);
    if (chosen === candidate) this.warnings.push(`small image enlarged ${scaled.transform[0].toFixed(1)}x before recognition`);
    return chosen;
  }

  /** Turns a page whose lines run vertically before its first reading, when OSD agrees. */
  async turnUpright(received: Source): Promise<Source> {
    if (!(await linesRunVertically(received.path).catch(() => false))) return received;
    const osd = await this.engine.detectOrientation(received.path, this.opts.timeoutMs);
    if ((osd.rotate !== 90 && osd.rotate !== 270) || osd.orientationConfidence < MIN_OSD_CONFIDENCE) return received;
    this.warnings.push(`page was rotated by ${osd.rotate} degrees before recognition`);
    const turned = await rotateImage(received.path, osd.rotate, this.opts.workDir);
    return { path: turned.path, rotation: osd.rotate, transform: composeAffine(turned.transform, received.transform) };
  }

  /** A sideways reading scores well but reads scrambled: an upright candidate must only match it. */
  async fixOrientation(best: Pass, sideways = false): Promise<Pass> {
    const osd = await this.engine.detectOrientation(best.imagePath, this.opts.timeoutMs);
    this.noteScript(osd);
    if (osd.rotate === 0 || osd.orientationConfidence < MIN_OSD_CONFIDENCE) return best;
    const rotated = await rotateImage(best.imagePath, osd.rotate, this.opts.workDir);
    const total = ((best.rotation + osd.rotate) % 360) as Pass['rotation'];
    const transform = composeAffine(rotated.transform, best.transform);
    const candidate = await this.pass(rotated.path, best.languages, total, best.variables, best.skew, transform);
    const upright = sideways && !looksSideways(candidate.page.words) && candidate.score >= best.score * 0.8;
    const chosen = upright ? candidate : this.better(best, candidate);
    if (chosen === candidate) this.warnings.push(`page was rotated by ${osd.rotate} degrees before recognition`);
    return chosen;
  }

  /** A non-Latin script read with an English model is garbage: retry with the script's model. */
  async fixScript(best: Pass, minConfidence: number): Promise<Pass> {
    if (!this.script || this.script === 'Latin' || this.scriptConfidence < minConfidence) return best;
    const model = scriptModelFor(this.script, this.opts.tessdataDir);
    const fallback = defaultLanguageForScript(this.script);
    const languages = model ? [model] : fallback && this.opts.available.some((l) => l.tesseract === fallback) ? [fallback] : null;
    if (!languages) return best;
    return this.better(best, await this.pass(best.imagePath, languages, best.rotation, best.variables, best.skew, best.transform));
  }

  /**
   * Reads the page again in the language its text is in. A better reading can reveal the language
   * more clearly (diacritics come back), so detection runs once more on the new text.
   */
  async fixLanguage(best: Pass): Promise<Pass> {
    const tried = new Set([best.languages.join('+')]);
    for (let round = 0; round < 2; round++) {
      const model = best.languages[0] ?? '';
      const script = /^[A-Z]/.test(model)
        ? model.replace(/^Han[ST]$/, 'Han')
        : this.opts.available.find((l) => l.tesseract === model)?.script;
      const ranked = await rankTextLanguages(best.text, this.opts.available, script, MAX_LANGUAGE_TRIES);
      // The reading's own language is the likeliest: nothing to try.
      if (ranked.length === 0 || ranked[0] === model) return best;
      let improved = false;
      for (const language of ranked) {
        if (tried.has(language)) continue;
        tried.add(language);
        const candidate = await this.pass(best.imagePath, [language], best.rotation, best.variables, best.skew, best.transform);
        if (this.better(best, candidate) === candidate) {
          best = candidate;
          improved = true;
          break;
        }
      }
      if (!improved) return best;
    }
    return best;
  }


  /** Tesseract's global Otsu threshold fails on tinted or unevenly lit paper; the tiled one copes. */
  async fixBinarisation(best: Pass): Promise<Pass> {
    return this.better(best, await this.pass(best.imagePath, best.languages, best.rotation, { thresholding_method: '1' }, best.skew, best.transform));
  }
}

/**
 * One page image (any format Tesseract reads) to PageContent. The first reading is also the
 * measurement: its word boxes give the skew (a second reading only for skewed pages), and only a
 * poor reading pays for orientation and script detection, a projection-profile deskew and a second
 * binarisation. With `auto`, the language of the text decides a second reading. Every candidate
 * reading replaces the current one only if it reads better. A straight, upright, clean page costs
 * exactly one recognition.
 */
export async function recognizePage(pool: EnginePool, imagePath: string, opts: RecognizePageOptions): Promise<PageContent> {
  return pool.run(async (engine) => {
    const pipeline = new PagePipeline(engine, opts);
    const auto = opts.languages === 'auto';
    const received: Source = { path: imagePath, rotation: 0, transform: IDENTITY };
    const source = opts.recovery ? await pipeline.turnUpright(received) : received;
    let best = await pipeline.pass(source.path, auto ? ['eng'] : (opts.languages as string[]), source.rotation, {}, 0, source.transform);
    if (opts.recovery && (best.confidence < SUSPECT_CONFIDENCE || best.page.words.length < FEW_WORDS)) best = await pipeline.enlargeSmall(best);
    const sideways = looksSideways(best.page.words);
    if (opts.recovery && !sideways) best = await pipeline.straighten(best, source, skewFromWords(best.page.words));

    if (opts.recovery && (sideways || best.confidence < SUSPECT_CONFIDENCE)) {
      if (!sideways) best = await pipeline.straighten(best, source, await estimateSkew(source.path).catch(() => 0));
      best = await pipeline.fixOrientation(best, sideways);
    }
    if (opts.recovery && best.confidence < SUSPECT_CONFIDENCE) best = await pipeline.fixBinarisation(best);
    // Still poor with geometry and binarisation fixed: the script itself may not be Latin. OSD's
    // script confidence is low on short pages (Greek 0.2, Han 1.0), so any guess is tried here;
    // the reading decides.
    if (auto && best.confidence < SUSPECT_CONFIDENCE) best = await pipeline.fixScript(best, 0);
    if (auto && !pipeline.script && best.confidence < AUTO_SCRIPT_CHECK_CONFIDENCE) {
      await pipeline.detectScript(best);
      best = await pipeline.fixScript(best, MIN_SCRIPT_CONFIDENCE);
    }
    if (auto) best = await pipeline.fixLanguage(best);

    const blocks = buildBlocks(best.page.words);
    return {
      width: best.page.width,
      height: best.page.height,
      dpi: dpiOf(opts.dpi, best.transform),
      rotation: best.rotation,
      skew: best.skew,
      transform: best.transform,
      source: 'ocr',
      languages: best.languages,
      ...(pipeline.script && pipeline.scriptConfidence >= MIN_SCRIPT_CONFIDENCE ? { script: pipeline.script } : {}),
      text: renderText(blocks),
      markdown: renderMarkdown(blocks),
      mean_confidence: meanConfidence(blocks),
      blocks,
      warnings: pipeline.warnings,
      recognition_passes: pipeline.passes,
    };
  });
}
