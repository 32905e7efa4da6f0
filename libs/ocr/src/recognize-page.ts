import sharp from 'sharp';
import { composeAffine, IDENTITY, type Affine, type PageContent, type SecondScriptWords } from '@ocr/domain';
import { engineDensity } from '@ocr/intake';
import { buildBlocks, lineKey, meanConfidence, renderMarkdown, renderText, type RawWord } from '@ocr/layout';
import type { OcrEngine, OrientationResult, RecognizedPage, RecognizeRequest } from './engine';
import { columnsAcross, cropRows, findSplitRow, joinParts, MIN_SPLIT_HEIGHT } from './page-split';
import { BLANK_SURVEY, isBilevel, pageThumbnail, surveyThumbnail, turnThumbnail, type PageSurvey, type Thumbnail } from './page-survey';
import { bandPrefers, clearlySurer, decideLanguage, installed, namesNoLanguage, scriptModelMayRead, scriptModelNames, type LanguageDecision, type Probe, type ScriptModelChoice } from './auto-language';
import { scoreTextLanguages } from './language-detect';
import { scriptModelFor, type LanguageInfo } from './languages';
import { normalizeScriptName, SCRIPTS, scriptShare, UNSPACED_SCRIPTS } from './scripts';
import { darkFillCovers, darkFills, withoutDarkFills } from './dark-fills';
import { cropInverted, insertFillWords, placeFillWords, readOn } from './fill-reading';
import { cropPeek, cropStrip, cropTextBand, findTextLines, smallPage, type PageLines, type TextBand } from './text-band';
import { engineResolution } from './text-size';
import { median } from './median';
import type { EnginePool } from './pool';
import { engineImagePath, imageSize, rotateImage, scaleImage, toEngineImage } from './transform';
import { looksSideways, skewFromWords } from './word-skew';
import { SECOND_SCRIPTS, stackWords, SURE_PAGE, unsureWords, wordsOfScript } from './second-script';
import { linesRunVertically, mayBeSideways } from './line-axis';
import { handwrittenLatin, latinUnlikely, MIN_DOUBT_LINES, scriptsByLook, scriptsUnlike, UPSIDE_DOWN_RATIO } from './page-look';

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
 * With `auto`, franc scoring the chosen language below this share of its best on the page's own
 * reading has the page read in franc's choice outright; above it, the band the language was decided
 * on settles it first (a near tie: neighbours such as Czech and Slovak score within 1%). On the
 * corpus, franc named another language on three pages at 0.928-0.966 (a table: Occitan; two French
 * handwritten pages read in English): none of their bands read more surely in franc's choice
 * (0.37 against 0.37, 0.44 against 0.49, 0.41 against 0.44), and reading the pages again (0.5-1.6 s)
 * changed no text but the table's language. None of the 126 rendered pages ranks another first.
 */
const OTHER_LANGUAGE_SHARE = 0.9;
/** A reading whose words cover less than this share of the page's height may have lost lines. */
const SPARSE_READING = 0.5;
/** A reading whose words leave this share of the page's inked rows uncovered lost part of the page. */
const LOST_INK_SHARE = 0.3;
/** This many blocks, with fewer words each than MAX_WORDS_PER_SPLIT_BLOCK, is a page read in pieces. */
const SPLIT_BLOCKS = 8;
const MAX_WORDS_PER_SPLIT_BLOCK = 3;
/**
 * Tesseract's layout for a page read in pieces: one uniform block of text (psm 4 lost the lines
 * psm 3 lost on a speckled page; psm 6 read them, and Korean and Khmer pages as well).
 */
const FALLBACK_PSM = 6;
/** A decision whose script reads below this is also tried with the page at OSD's other angle. */
const TURNED_SCRIPT_TRUST = 0.7;
/** ... and the other angle is taken only if its script reads at least this much better. */
const CLEARER_BY = 0.1;
/**
 * Scripts whose pages are read whole, not around their band. Ethiopic's model reads a line
 * differently once the rest of the page around it changes: it read the lines above a rendered page's
 * band, cut apart from the rest, with other letters (ወ for ው; the page's CER 2.7% -> 4.4%), where
 * the other 38 rendered languages' pages moved by 0.3 points or less, either way. Tibetan's vowel
 * signs stand apart from their letters in the row profile, so a cut through blank rows may part a
 * line from its signs: the line below a whole page's band was lost (CER 8.0% -> 14.8%). Syriac's
 * model, reading a band as one block, wrote a dotless dalath-rish (ܖ) into three words the whole
 * page's reading spells with ܕ or without it: a rendered whole page read around its band at 3.55%
 * CER (scanned-looking 3.30%), read whole as with the language given at 2.69% (2.57%), for one more
 * reading of the band's lines (+6-13% of auto's time on those pages).
 */
const READ_WHOLE_SCRIPTS = new Set(['Ethiopic', 'Tibetan', 'Syriac']);
/**
 * Scripts whose models read a small page's peek (cropPeek), not the page: each is written in many
 * languages (Latin's 58 models here, Cyrillic's 13, Arabic's 6, Devanagari's 4), told apart on a
 * reading in the script's first model (franc), and a page in another of them was read whole twice:
 * in the first model, then in its own (Persian, Marathi, Ukrainian and Bulgarian small pages
 * 1.6-2.2x the time given). Read on the peek, the page is read once, in the language decided: traced
 * on the 16 small pages of the 8 languages rendered in those three scripts, 1.63x -> 1.50x (second
 * languages 1.6-2.2x -> 1.2-1.4x; first ones 0.9-1.2x -> 1.05-1.6x, their page read around the peek
 * or, where the peek stands for no rows, again). Other scripts' models read the page: mostly one
 * language each, whose reading of the page is its reading, and two lines read less clearly than
 * the page in Telugu, Kannada and Thai, which then read another model.
 */
const PEEKED_SCRIPTS = new Set(['Latin', 'Cyrillic', 'Arabic', 'Devanagari']);
/** A page of this many lines or fewer is probed whole, as one block. */
const SMALL_PAGE_LINES = 6;
/**
 * Pages of fewer lines than this (a line's image: its accents' and descenders' rows count as one to
 * three) have no strips skimmed (DecideInput.skim): a third of a line is too little text to rank
 * scripts on. On a line of polytonic Greek (bsb10234118_0010_24) Greek's model read its strip at
 * 0.36 and Sinhala's at 0.72, where they read the line at 0.56 and 0.32. A line read whole costs
 * 40-100 ms a model, a strip of it 30-40.
 */
const MIN_SKIMMED_LINES = 4;

/** An image of a line or so (MIN_SKIMMED_LINES), or one whose lines were not found. */
function lineImage(lines: PageLines | null): boolean {
  return (lines?.lines.length ?? 0) < MIN_SKIMMED_LINES;
}

/**
 * A line image (fewer than MIN_SKIMMED_LINES lines) whose probe read it this surely keeps the probe
 * as its reading: the corpus's Syriac line read 0.85 as a block (2.6% CER) and 12.8% with
 * Tesseract's layout; its polytonic Greek lines 0.71-0.73.
 */
const SURE_LINE = 0.8;
/** A band whose first reading has fewer letters than this is not worth reading again. */
const MIN_BAND_LETTERS = 30;
/** Probes read a band of uniform lines. */
const BAND_PSM = 6;
/** Images whose longer side is below this are small crops whose text may be a few pixels high. */
const SMALL_IMAGE_SIDE = 1000;
/** Words lower than this (pixels, median) are too small for Tesseract's models. */
const SMALL_TEXT_PX = 14;
/** A first reading with fewer words than this found next to nothing. */
const FEW_WORDS = 5;
/**
 * A reading with at least this many letters, less than OWN_SCRIPT_SHARE of them in its model's
 * script, was written by a model that does not write its own script (fixWeakModel).
 */
const FOREIGN_SCRIPT_MIN_LETTERS = 20;
const OWN_SCRIPT_SHARE = 0.5;
/**
 * A language's model reading its page below this is weak where its script's model is read
 * (scriptModelMayRead): Debian's Basque, Breton and Luxembourgish models read the rendered pages at
 * 0.38-0.41, 0.65-0.68 and 0.69-0.76 (CER 12.6-18.6%, 11.5-13.7%, 3.2-5.8%), Latin's at 0.0-0.8%.
 * With their language given, the pages of the other 57 Latin- and Cyrillic-script languages
 * rendered (small and whole, clean and scanned) read 0.89 or more in their own models, and the
 * corpus's Danish, German, Czech and Slovak typewritten scans 0.84-0.94: none is read again. With
 * `auto`, the script model's band reading decides first (scriptModelNames); a small Breton scan's
 * peek read 0.73 there, not far above the page's 0.68, and only this check read it well (13.7% ->
 * 0.7%). English and Russian have full models and are not.
 *
 * The page is read again only where the script's model reads a band of it clearly more surely
 * (clearlySurer) than the language's own model does (two band readings, a fifth of the page's cost):
 * the corpus's German receipts read 0.73-0.79 in German's model for their thermal print, no better
 * in Latin's (their pages 0.61-0.72 there: each a second reading of the page for nothing, 0.6-1.1
 * s); a small Breton scan's peek reads 0.51 in Breton's and 0.67 in Latin's (its page 0.68 and 0.90).
 * A page its model wrote in another script is read again at once.
 */
const WEAK_READING = 0.8;
/**
 * A dark fill's inverted reading is kept at this confidence or more, with this many letters or
 * digits: a picture cut as a fill (a flag's stars) reads as a few unsure signs.
 */
const FILL_READING_CONFIDENCE = 0.6;
const FILL_READING_MIN_SIGNS = 2;
/** The enlarged image's longer side aims at this. */
const ENLARGED_SIDE = 2000;
const MAX_ENLARGEMENT = 4;

/**
 * Scripts whose letters rise above the x-height far more often than they descend below it. Latin
 * only: upright Cyrillic measured 0.0-0.6 (few ascenders, several descenders), Greek about 1.
 */
const ASCENDER_SCRIPTS = new Set(['Latin']);
/** Scripts whose language decideLanguage settles by reading every candidate model. */
const CJK_DECIDED = new Set(['Han', 'Japanese']);
/** Fewer lines than this are too few to judge the balance on. */
const MIN_SURVEY_LINES = 8;
/**
 * At or above this balance OSD's "Latin, upside down" is doubted: OSD takes upright Armenian
 * (balance 0.86-1.04) for Latin turned by 180 degrees, at a confidence of 5.6 on a whole page.
 * Turned Latin measured 0.00-0.56 on 16 pages of 5-7 lines and the corpus, except one Hungarian
 * page (1.62); a wrong doubt costs readings (OSD's angle is still tried after), not the result.
 */
const NOT_UPSIDE_DOWN_LATIN = 0.6;
/**
 * A page decided Latin that reads unclearly (TURNED_SCRIPT_TRUST) with this much more ink above its
 * lines than below is upright, and is not tried at OSD's other angle: turned Latin measured at most
 * 1.62 (above), the corpus's receipts 3.3-6.5 and its tables of figures up to 26, whose readings
 * (0.5-0.7) each cost OSD's full look on the page (0.5-0.7 s), and a reading at the turned angle
 * where OSD called them upside down.
 */
const UPRIGHT_LATIN_BALANCE = 2;
/** Below this PageSurvey.chroma a colour image is read as grey: off-white paper measured 0-27, yellow paper 102. */
const NEUTRAL_CHROMA = 50;

/**
 * Tesseract's tiled (Leptonica) Otsu threshold, its tiles' thresholds averaged across the page.
 * Unsmoothed (Tesseract's default), a tile of blank paper splits its own grain into ink: a tinted
 * Danish page came out in blocks of noise, read in 5.7 s at 18.6% CER, and three off-white corpus
 * pages read 8-43 points worse than with the global threshold. Averaged, the Danish page read in
 * 3.1 s at 4.7%, where the global threshold, pulled down by the page's dark scanner border, drops
 * its light typewriting (99.7%); on the other corpus documents within 1.2 points of the global
 * threshold (a four-page English scan: 1.9% -> 3.1%). Tesseract multiplies the value by the dpi and
 * halves it into Leptonica's kernel half-width in tiles, which Leptonica clips to the page's tiles:
 * 0.5 spans a page at any dpi from 100 (smoothing over 7 tiles of a third of an inch read the
 * English scan at 5.9%).
 */
const TILED_THRESHOLD = { thresholding_method: '1', thresholding_smooth_kernel_size: '0.5' } as const;
const GLOBAL_THRESHOLD = { thresholding_method: '0' } as const;
/** Above this share of ink lost to a global threshold (PageSurvey.globalThresholdLoss), the page is read with the tiled one. */
const TILED_THRESHOLD_LOSS = 0.2;

/** OSD claims below this confidence are ignored (it misreads typewritten pages at ~2-5). */
const MIN_OSD_CONFIDENCE = 1.5;
/**
 * A glance this sure of its script (Tesseract's script confidence) stands in for OSD's full look:
 * on the bands of 48 pages in 12 scripts, the 28 glances at 5 or more named the full look's script
 * (Kannada, Malayalam, Tamil, Telugu 5.3-90; Armenian and Khmer as Latin, Georgian as Malayalam, Lao
 * as Thai, as the full look does); of the 20 below it, 12 named another.
 */
const GLANCE_SURE = 5;
/**
 * A glance below this is no guess worth its readings: the full look is asked at once. On the clean
 * rendered pages, the seven glances at 0.67-3.33 that the full look followed named its script
 * (Sinhala as Hebrew, Gujarati, Armenian and Khmer as Latin, Georgian as Malayalam, Lao as Thai,
 * Greek); of the four at 0-0.48, three named another (Telugu for Georgian, Hebrew for Sinhala,
 * Cyrillic for Greek, whose suggestions Russian and Tibetan were read for nothing).
 */
const GLANCE_GUESS = 0.5;
/**
 * Scripts whose TSV words are the page's space-separated words, so the engine's plain text adds
 * nothing to them (Korean TSV words are syllables, Thai ones characters: those need it).
 */
const SPACED_WORD_SCRIPTS = new Set(['Latin', 'Cyrillic', 'Greek']);

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
  psm: number;
  /** Maps a pixel of the page as received to this pass's image. */
  transform: Affine;
  /** The language a script model's pass reads the page for (its languages name the script). */
  readFor?: string;
}

/** What `make` gives for `key`, made once: later calls share its promise. */
function cutOnce<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  const made = make();
  cache.set(key, made);
  return made;
}

/** A probe's reading as decideLanguage weighs it. */
function probeOf(model: string, pass: Pass): Probe {
  return { model, text: pass.text, confidence: pass.confidence, lines: new Set(pass.page.words.map(lineKey)).size };
}

/** A page image the readings start from, and how it relates to the page as received. */
interface Source {
  path: string;
  rotation: Pass['rotation'];
  transform: Affine;
  /** Degrees this image was rotated back from the received page's skew (levelled before reading). */
  skew: number;
}

/** A probe's reading of a band cut from a page image: the page's rows [top, bottom) as they are. */
interface BandReading {
  source: string;
  rows: [number, number];
  pass: Pass;
}

/** The resolution of an image made from the received one by `transform` (enlargement raises it). */
function dpiOf(receivedDpi: number, [a, b, c, d]: Affine): number {
  return Math.round(receivedDpi * Math.sqrt(Math.abs(a * d - b * c)));
}

/** Whether an image made from the received one by this transform is turned a quarter from it. */
function quarterTurned([a, b]: Affine): boolean {
  return Math.abs(a) < Math.abs(b);
}

/** A reading as a pass: its text, score and confidence, with what it was read from. */
function toPass(page: RecognizedPage, of: Omit<Pass, 'page' | 'score' | 'confidence' | 'text'>): Pass {
  const { score, confidence } = scorePass(page);
  return { ...of, page, score, confidence, text: page.words.map((w) => w.text).join(' ') };
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

/** The mean confidence of some words (0 for none). */
function meanWordConfidence(words: readonly RawWord[]): number {
  return words.reduce((sum, w) => sum + w.confidence, 0) / Math.max(1, words.length);
}

/** Share of the page's height that the reading's words cover. */
function wordRowShare(page: RecognizedPage): number {
  if (page.height <= 0) return 1;
  const rows = new Uint8Array(page.height);
  for (const w of page.words) rows.fill(1, Math.max(0, w.bbox[1]), Math.min(page.height, w.bbox[3]));
  return rows.reduce((n, v) => n + v, 0) / page.height;
}

/** Share of the page's inked rows (its text lines) that no recognised word overlaps. */
function uncoveredInk(page: PageLines, words: readonly RawWord[]): number {
  let inked = 0;
  let uncovered = 0;
  const typical = median(page.lines.map(([top, bottom]) => bottom - top));
  // Runs much taller than a text line are pictures or rules run together: not text a reading must cover.
  for (const [top, bottom] of page.lines.filter(([t, b]) => b - t <= typical * 3)) {
    for (let y = top; y < bottom; y += 2) {
      inked++;
      if (!words.some((w) => w.bbox[1] <= y && w.bbox[3] >= y)) uncovered++;
    }
  }
  return inked === 0 ? 0 : uncovered / inked;
}

/** The scripts of models: a language's, a script model's own (Latin reads Latin), '' for one not installed. */
function scriptsOf(available: readonly LanguageInfo[], languages: readonly string[]): string[] {
  return languages.map((code) => available.find((l) => l.tesseract === code)?.script ?? (SCRIPTS.includes(code) ? code : ''));
}

class PagePipeline {
  readonly warnings: string[] = [];
  passes = 0;
  /** Readings of a band of the page (language=auto). */
  probes = 0;
  private readonly thumbnails = new Map<string, Promise<Thumbnail | null>>();
  private readonly surveys = new Map<string, Promise<PageSurvey>>();

  /** An image's small grey copy, decoded once (the survey and the ascender turn both look at it). */
  thumbnail(path: string): Promise<Thumbnail | null> {
    let thumbnail = this.thumbnails.get(path);
    if (!thumbnail) {
      thumbnail = pageThumbnail(path).catch(() => null);
      this.thumbnails.set(path, thumbnail);
    }
    return thumbnail;
  }

  /**
   * The survey of an image, made once (an auto page of an unspaced script may need it twice): of
   * its lines of text, without its dark fills (darkFillCovers).
   */
  survey(path: string): Promise<PageSurvey> {
    let survey = this.surveys.get(path);
    if (!survey) {
      survey = this.thumbnail(path).then((thumbnail) => (thumbnail ? surveyThumbnail(withoutDarkFills(thumbnail)) : BLANK_SURVEY));
      this.surveys.set(path, survey);
    }
    return survey;
  }

  /**
   * The text lines of an image; with recovery, without its dark fills (darkFillCovers), in its
   * thumbnail's pixels: findTextLines reads the image's size itself.
   */
  async textLines(path: string): Promise<PageLines> {
    const thumbnail = this.opts.recovery ? await this.thumbnail(path) : null;
    if (!thumbnail) return findTextLines(path);
    const { width, height } = thumbnail;
    return findTextLines(path, { boxes: darkFillCovers(thumbnail, width, height), width, height });
  }

  /** Whether `level` measured the page (a page it left alone gets a projection-profile skew later if read poorly). */
  surveyed = false;

  adoptProbe(): void {
    this.probes--;
    this.passes++;
  }

  /** OSD's answers by image, for a turn decided after the script. */
  private readonly osdOf = new Map<string, OrientationResult>();
  /**
   * Probes and OSD answers by page image, band or whole page, and model: a page decided at OSD's
   * angle and then again as received (OSD misjudged an upright Armenian page as turned) does not
   * read the same band twice.
   */
  private readonly probeCache = new Map<string, Pass>();
  private readonly osdByImage = new Map<string, OrientationResult>();
  private readonly bands = new Map<string, Promise<TextBand | null>>();
  private readonly peeks = new Map<string, Promise<TextBand | null>>();
  /** Strips (cropStrip) by the image they are cut from. */
  private readonly strips = new Map<string, Promise<string>>();
  /** The page images and models readAlso has read (its key). */
  private readonly readAlsoDone = new Set<string>();
  /**
   * The received image's resolution as the engine is told it (sizeText), where its file states one,
   * and whether the image it was measured on was turned a quarter from the received one.
   */
  private engineDpi: { dpi: number; quarterTurned: boolean } | null = null;

  constructor(
    private readonly engine: OcrEngine,
    private readonly opts: RecognizePageOptions,
    /** The page's engine came from this pool; an idle one of its other engines may read part of a page. */
    private readonly pool: EnginePool,
  ) {}

  /**
   * The engine is told the resolution the page's lines suggest where its file's would make them tiny
   * (engineResolution), measured on `source` and kept in the received image's terms. Lines measured
   * at one angle say nothing of the page a quarter turn from it (a sideways page's profile finds
   * rows of letters): such readings are told the file's resolution.
   */
  sizeText(lines: PageLines | null, source: Source): void {
    const sourceDpi = dpiOf(this.opts.dpi, source.transform);
    this.engineDpi = { dpi: (this.opts.dpi * engineResolution(sourceDpi, lines)) / sourceDpi, quarterTurned: quarterTurned(source.transform) };
  }

  /** The resolution to tell the engine for an image made from the received one by `transform`. */
  private dpiFor(transform: Affine): number {
    const sized = this.engineDpi;
    return dpiOf(sized && sized.quarterTurned === quarterTurned(transform) ? sized.dpi : this.opts.dpi, transform);
  }

  async pass(
    imagePath: string,
    languages: string[],
    rotation: Pass['rotation'],
    variables: Record<string, string>,
    skew: number,
    transform: Affine,
    psm = 3,
  ): Promise<Pass> {
    this.passes++;
    const request = this.request(imagePath, languages, variables, transform, psm);
    const page = (psm === 3 ? await this.readInParts(request).catch(() => null) : null) ?? (await this.engine.recognize(request));
    return toPass(page, { imagePath, skew, languages, rotation, variables, psm, transform });
  }

  private request(imagePath: string, languages: string[], variables: Record<string, string>, transform: Affine, psm: number): RecognizeRequest {
    return {
      imagePath,
      languages,
      spacing: !scriptsOf(this.opts.available, languages).every((script) => SPACED_WORD_SCRIPTS.has(script)),
      ...(this.opts.dpiFromFile ? { dpi: this.dpiFor(transform) } : {}),
      timeoutMs: this.opts.timeoutMs,
      variables,
      psm,
    };
  }

  /**
   * language=auto: the page's reading from the probe's reading of the band in the language decided
   * and readings of the page above and below it, when the band was cut through rows blank across
   * the page and no columns cross them (page-split.ts says why the parts' words are the page's).
   * The band is then not read twice. Null when its reading cannot stand for that part of the page.
   */
  async readAroundBand(source: Source, languages: string[], band: BandReading): Promise<Pass | null> {
    const [top, bottom] = band.rows;
    // The probe read the band with Tesseract's defaults: a page whose reading starts from other
    // variables (the tiled threshold) is read whole.
    if (band.source !== source.path || band.pass.languages.join('+') !== languages.join('+') || Object.keys(this.imageVariables).length > 0) return null;
    // A band read poorly stands for nothing: the page's reading will be doubted and read again whole
    // (Lao's model read a clean band at 0.05; its parts, read around it, fell apart and were read
    // again before the page was).
    if (band.pass.confidence < SUSPECT_CONFIDENCE) return null;
    const [thumbnail, { height }] = await Promise.all([this.thumbnail(source.path), imageSize(source.path)]);
    if (!thumbnail || columnsAcross(thumbnail, [top, bottom], height)) return null;
    const [above, below] = await cropRows(source.path, [0, top], [bottom, height], this.opts.workDir);
    this.passes++;
    const request = this.request(source.path, languages, {}, source.transform, 3);
    const [abovePage, belowPage] = await this.readTwo({ ...request, imagePath: above }, { ...request, imagePath: below });
    // A part whose layout falls apart is read again as one column, as a page is (Korean: the part
    // below a band read one word of eight lines).
    const settle = (imagePath: string, page: RecognizedPage) =>
      this.fixLayout(toPass(page, { imagePath, skew: 0, languages, rotation: 0, variables: {}, psm: 3, transform: source.transform }), () => this.textLines(imagePath).catch(() => null));
    const upper = await settle(above, abovePage);
    const lower = await settle(below, belowPage);
    const page = joinParts(joinParts(upper.page, band.pass.page, top), lower.page, bottom);
    return toPass(page, { imagePath: source.path, skew: source.skew, languages, rotation: source.rotation, variables: {}, psm: 3, transform: source.transform });
  }

  /**
   * The reading of a tall page in two parts at once, when another engine is idle now (page-split.ts
   * says why that reads the same words); null when the page is read whole.
   */
  private async readInParts(request: RecognizeRequest): Promise<RecognizedPage | null> {
    if (!this.pool.idle) return null;
    const { height } = await imageSize(request.imagePath);
    if (height < MIN_SPLIT_HEIGHT) return null;
    const thumbnail = await this.thumbnail(request.imagePath);
    const cut = thumbnail ? findSplitRow(thumbnail, height) : null;
    if (cut === null || !this.pool.idle) return null;
    const [top, bottom] = await cropRows(request.imagePath, [0, cut], [cut, height], this.opts.workDir);
    const [upper, lower] = await this.readTwo({ ...request, imagePath: top }, { ...request, imagePath: bottom });
    return joinParts(upper, lower, cut);
  }

  /** Two images read at once when another engine is idle, else one after the other on the page's. */
  private async readTwo(first: RecognizeRequest, second: RecognizeRequest): Promise<[RecognizedPage, RecognizedPage]> {
    const elsewhere = this.pool.tryRun((engine) => engine.recognize(second));
    if (!elsewhere) return [await this.engine.recognize(first), await this.engine.recognize(second)];
    // Both are awaited before either's failure counts, so no engine is left reading for nothing.
    const [one, other] = await Promise.allSettled([this.engine.recognize(first), elsewhere]);
    if (one.status === 'rejected') throw one.reason;
    if (other.status === 'rejected') throw other.reason;
    return [one.value, other.value];
  }

  /**
   * language=auto: the script and the language from readings of a band of a few lines, before the
   * page's reading, or of a small page's peek at two. Without either (a page of a few lines whose
   * lines could not be parted), probes read the whole page, and the winning probe is the page's
   * first reading.
   */
  async decide(
    source: Source,
    lines: PageLines,
    exhaustive = true,
    deferTurned = false,
  ): Promise<{ decision: LanguageDecision; first: Pass | null; bandReading: BandReading | null; decided: Pass | null; deferred: boolean; probeBand: (model: string) => Promise<Probe> }> {
    let band = await this.bandOf(source, lines);
    // The models of PEEKED_SCRIPTS read a small page's peek (cropPeek), cut when one of them first
    // reads (a page OSD is asked about first may never be read in one).
    let peek: TextBand | null | undefined;
    const peekOf = async () => (peek === undefined ? (peek = await cutOnce(this.peeks, source.path, () => cropPeek(source.path, lines, this.opts.workDir).catch(() => null))) : peek);
    const latin = (model: string) => scriptsOf(this.opts.available, [model])[0] === 'Latin';
    /** What each model read: the peek, the band, or the page (null). */
    const probes = new Map<string, { pass: Pass; crop: TextBand | null }>();
    // A peek or a band, or a page of a few lines, is read as one uniform block (the automatic
    // layout falls apart on Korean, Khmer and Myanmar lines); a whole page of many lines with
    // Tesseract's own layout, since the winning probe is its reading. A small page read in
    // another script's model is one block too: its rows of signs above and below the lines make
    // it look longer than it is (Myanmar's, Lao's and Khmer's small pages, 7-11 rows of ink).
    const psmFor = (model: string, crop: TextBand | null) => (crop || lines.lines.length <= SMALL_PAGE_LINES || (!latin(model) && smallPage(lines)) ? BAND_PSM : 3);
    const read = (model: string, crop: TextBand | null): Promise<Pass> => this.probePass(crop?.path ?? source.path, model, source, psmFor(model, crop));
    /** What a model reads: the peek (PEEKED_SCRIPTS), else the band, else the page (null). */
    const cropFor = async (model: string) => (PEEKED_SCRIPTS.has(scriptsOf(this.opts.available, [model])[0] ?? '') ? await peekOf() : null) ?? band;
    const probe = async (model: string): Promise<Probe> => {
      let reading = probes.get(model);
      if (!reading) {
        let crop = await cropFor(model);
        let pass = await read(model, crop);
        // A peek or band that holds next to no letters (the rows of a table of figures) tells
        // nothing: the page is probed whole instead. Told by a Latin reading only: other scripts'
        // models read foreign letters as figures and signs (Tibetan's read 18 letters and 298 digits
        // on a band of Myanmar text).
        if (crop && probes.size === 0 && latin(model) && (pass.text.match(/\p{L}/gu)?.length ?? 0) < MIN_BAND_LETTERS) {
          band = peek = crop = null;
          this.bands.set(source.path, Promise.resolve(null));
          this.peeks.set(source.path, Promise.resolve(null));
          pass = await read(model, crop);
        }
        reading = { pass, crop };
        probes.set(model, reading);
      }
      return probeOf(model, reading.pass);
    };
    let turned = false;
    /** OSD says turned, the page's ink balance says otherwise: OSD's scripts are read here first. */
    let doubted = false;
    let lookConfidence = 0;
    const decision = await decideLanguage({
      probe,
      osdConfidence: () => lookConfidence,
      osdScript: async () => {
        // The band first (OSD costs about a reading on a whole page); the whole page when the band
        // tells nothing (bands of Gurmukhi and Tibetan did not, their pages did).
        for (const path of band ? [band.path, source.path] : [source.path]) {
          const osd = await this.osdOfImage(path);
          // A band is cut from the page: its angle is the page's, which osdTurn may then reuse.
          this.osdOf.set(source.path, osd);
          if (osd.rotate !== 0 && osd.orientationConfidence >= MIN_OSD_CONFIDENCE) {
            turned = true;
            doubted = await this.balanceDoubtsFlip(source.path, osd);
          }
          lookConfidence = osd.scriptConfidence;
          if (osd.scriptConfidence > 0) return normalizeScriptName(osd.script);
        }
        return null;
      },
      // At the page's own angle only, and only a glance that sees the page upright: the angle is the
      // full look's to decide (upright Armenian, Gujarati and Khmer pages look like Latin upside down
      // to OSD, and their ink balance says they are not). A sure glance that saw the page upright
      // stands for OSD's answer after the decision too.
      osdGlance: async () => {
        if (!this.opts.recovery || !exhaustive) return null;
        // A small page's peek where it has no band: its glance costs half the page's, and named the
        // same script as the page's glance on most of the 78 small rendered pages.
        const looked = band?.path ?? (await peekOf())?.path ?? source.path;
        const glance = await this.engine.detectOrientation(looked, this.opts.timeoutMs, { glance: true });
        // A line's image holds about as many signs as a glance classifies before it may stop: on the
        // corpus's printed lines the full look that followed a glance at the same image named the
        // same script and angle at the same confidence (three Greek lines), or no script where the
        // glance named Arabic (a Syriac line), at the glance's cost (95-160 ms). The glance stands for
        // the full look, in the decision and after the page's reading.
        if (lineImage(lines) && !this.osdByImage.has(looked)) this.osdByImage.set(looked, glance);
        if (glance.scriptConfidence < GLANCE_GUESS || (glance.rotate !== 0 && !(await this.balanceDoubtsFlip(source.path, glance)))) return null;
        const sure = glance.scriptConfidence >= GLANCE_SURE;
        if (sure && glance.rotate === 0 && !this.osdOf.has(source.path)) this.osdOf.set(source.path, glance);
        return { script: normalizeScriptName(glance.script), sure };
      },
      // A second look at another angle tries OSD's suggestions only: every script at a wrong angle
      // would cost thirty band readings for nothing.
      looksTurned: () => turned || !exhaustive,
      decidesTurned: () => deferTurned && turned && !doubted,
      latinUnlikely: async () => this.opts.recovery && latinUnlikely(await this.survey(source.path)),
      // At the page's own angle only: a page OSD turned sideways looks square (a Tibetan one did).
      lookScripts: async () => (this.opts.recovery && exhaustive ? scriptsByLook(await this.survey(source.path)) : []),
      unlikeScripts: async () => (this.opts.recovery && exhaustive ? scriptsUnlike(await this.survey(source.path)) : []),
      handwritten: async () => this.opts.recovery && exhaustive && handwrittenLatin(await this.survey(source.path)),
      skim: lineImage(lines)
        ? undefined
        : async (model) => {
            const crop = await cropFor(model);
            const image = crop?.path ?? source.path;
            const strip = await cutOnce(this.strips, image, () => cropStrip(image, this.opts.workDir));
            return probeOf(model, await this.probePass(strip, model, source, psmFor(model, crop)));
          },
      available: this.opts.available,
    });
    const chosen = probes.get(decision.language);
    const bandReading = chosen?.crop?.rows ? { source: source.path, rows: chosen.crop.rows, pass: chosen.pass } : null;
    return { decision, first: chosen && !chosen.crop ? chosen.pass : null, bandReading, decided: chosen?.pass ?? null, deferred: deferTurned && turned && !doubted, probeBand: probe };
  }

  /**
   * The page's own reading has far more text than the band: if franc names another language of the
   * script clearly (OTHER_LANGUAGE_SHARE), the page is read in it too, and the better reading is
   * kept. A closer call is settled on the band the language was decided on (`probeBand`): the page
   * is read again only where the leader's model reads the band clearly more surely.
   */
  async confirmLanguage(best: Pass, decision: LanguageDecision, probeBand: ((model: string) => Promise<Probe>) | null): Promise<Pass> {
    // Chinese and Japanese were told apart by reading each (kana, confidence); franc names one
    // language for both Chinese scripts and would only re-read the page in the other.
    if (CJK_DECIDED.has(decision.script)) return best;
    const franc = await this.francNamesOther(best, decision, probeBand, best.languages[0] ?? '');
    if (franc) best = await this.readAlso(best, { model: franc, language: franc });
    // After franc's choice: Tatar's page, read in Tatar's broken model, was then read best in Serbian's.
    const other = await this.scriptModelNamesOther(best, decision, probeBand, best.languages[0] ?? '');
    return other ? this.readAlso(best, other) : best;
  }

  /**
   * A page its one language's model (given or decided) read mostly in another script's letters, or
   * read weakly (WEAK_READING), is read in its script's model too, for that language, and the better
   * reading kept: Debian's Tatar model writes Latin letters for Tatar's Cyrillic ones (a rendered
   * page read at 0.42, CER 101%; Cyrillic's model read it at 0.93, 0.2%). A model reading its own
   * script surely costs nothing more.
   */
  async fixWeakModel(best: Pass, readBand: (model: string) => Promise<Probe | null>): Promise<Pass> {
    const [language, ...others] = best.languages;
    const [script] = scriptsOf(this.opts.available, best.languages);
    // SCRIPTS: the scripts whose letters scriptShare knows (Fraktur's model reads Latin letters).
    if (!language || others.length > 0 || !script || !SCRIPTS.includes(script) || SCRIPTS.includes(language)) return best;
    const foreign = (best.text.match(/\p{L}/gu) ?? []).length >= FOREIGN_SCRIPT_MIN_LETTERS && scriptShare(best.text, script) < OWN_SCRIPT_SHARE;
    const weak = best.confidence < WEAK_READING && scriptModelMayRead(script, language);
    if (!foreign && !weak) return best;
    const model = scriptModelFor(script, this.opts.tessdataDir);
    if (!model) return best;
    // A page weak for its print, not its model (a thermal receipt), reads no better in the script's:
    // the band tells first (WEAK_READING).
    const own = foreign ? null : await readBand(language);
    const other = own ? await readBand(model) : null;
    if (own && other && !clearlySurer(other, own)) return best;
    return this.readAlso(best, { model, language });
  }

  /**
   * A band of the page's lines read in `model` (cut once per image, each model read once), for a
   * check weighing a model before it reads the whole page; null where the page has no band.
   */
  async readBand(source: Source, lines: PageLines | null, model: string): Promise<Probe | null> {
    const band = lines ? await this.bandOf(source, lines).catch(() => null) : null;
    return band ? probeOf(model, await this.probePass(band.path, model, source, BAND_PSM)) : null;
  }

  /** The band of an image's lines (cropTextBand), cut once per image. */
  private bandOf(source: Source, lines: PageLines): Promise<TextBand | null> {
    return cutOnce(this.bands, source.path, () => cropTextBand(source.path, lines, this.opts.workDir));
  }

  /**
   * A probe's reading of an image (a band, a peek, a page) in `model`: made once per image and
   * model, and counted as a probe, not as one of the page's readings.
   */
  private async probePass(imagePath: string, model: string, source: Source, psm: number): Promise<Pass> {
    const key = `${imagePath}\u0000${model}`;
    const cached = this.probeCache.get(key);
    if (cached) return cached;
    this.probes++;
    const pass = await this.pass(imagePath, [model], source.rotation, {}, source.skew, source.transform, psm);
    this.passes--;
    this.probeCache.set(key, pass);
    return pass;
  }

  /** The page read again in `choice`'s model, for its language; the better of the two readings. */
  private async readAlso(best: Pass, choice: ScriptModelChoice): Promise<Pass> {
    // A reading confirmLanguage made and `better` turned down is not made again by fixWeakModel.
    const key = `${best.imagePath}\u0000${best.rotation}\u0000${choice.model}`;
    if (this.readAlsoDone.has(key)) return best;
    this.readAlsoDone.add(key);
    // A new language starts from Tesseract's defaults (settings chosen for another model stay with
    // it), except the binarisation chosen for the image before any reading.
    // A second script's model read beside the language's (readSecondScripts) stays beside the new one.
    const candidate = await this.pass(best.imagePath, [choice.model, ...best.languages.slice(1)], best.rotation, this.imageVariables, best.skew, best.transform, best.psm);
    return this.better(best, choice.model === choice.language ? candidate : { ...candidate, readFor: choice.language });
  }

  /** The language franc names on the page's reading in place of `read`, null where it does not. */
  private async francNamesOther(best: Pass, decision: LanguageDecision, probeBand: ((model: string) => Promise<Probe>) | null, read: string): Promise<string | null> {
    const scored = await scoreTextLanguages(best.text, this.opts.available, decision.script, read);
    const top = scored[0];
    const own = scored.find(([m]) => m === read)?.[1];
    // franc scores every language of the script it knows: one it gives no score it does not know
    // (Ancient Greek, decided on its letters), and it is no judge of a page read in it. A page of
    // names and figures ranks as flat as its band (the corpus's receipts: 48-57 languages within
    // 90%): a German one read in English was read again in German for the same text.
    if (!top || top[0] === read || own === undefined || namesNoLanguage(best.text, scored)) return null;
    // A Kazakh scan's band, read in Russian's model, ranked Kyrgyz first (Kazakh 0.94); the page read
    // in Kyrgyz's (10.6% CER) ranked Kazakh first, Kyrgyz 0.988, and Kazakh's model read the band
    // 0.97 against Kyrgyz's 0.85 (0.6% CER).
    if (own >= top[1] * OTHER_LANGUAGE_SHARE && !(probeBand && (await bandPrefers(probeBand, decision.script, read, top[0])))) return null;
    return top[0];
  }

  /** The model and language the script's own model finds on the band in place of `read` (scriptModelNames). */
  private async scriptModelNamesOther(best: Pass, decision: LanguageDecision, probeBand: ((model: string) => Promise<Probe>) | null, read: string): Promise<ScriptModelChoice | null> {
    if (!probeBand) return null;
    // Looked up (a listing of the models' folder) only on a page the check reads it for.
    return scriptModelNames(probeBand, decision.script, () => scriptModelFor(decision.script, this.opts.tessdataDir), read, best, this.opts.available);
  }

  /**
   * language=auto: the scripts whose words a reading in the page's language (sure: SURE_PAGE) has
   * among its unsure ones, read surely in their script's model once cut from it and stacked
   * (second-script.ts); none where it has none.
   */
  async secondScriptsIn(reading: Pass, script: string): Promise<SecondScriptWords[]> {
    const seconds = (SECOND_SCRIPTS[script] ?? []).filter((s) => installed(this.opts.available, s.model));
    if (reading.languages.length !== 1 || reading.readFor || reading.confidence < SURE_PAGE || seconds.length === 0) return [];
    const unsure = unsureWords(reading.page.words);
    if (unsure.length === 0) return [];
    const stack = await stackWords(reading.imagePath, unsure, this.opts.workDir);
    const found: SecondScriptWords[] = [];
    for (const second of seconds) {
      this.probes++;
      const read = await this.engine.recognize(this.request(stack.path, [second.model], {}, reading.transform, BAND_PSM));
      const words = wordsOfScript(read.words, unsure, stack, second).length;
      if (words > 0) found.push({ script: second.script, language: second.model, words });
    }
    return found;
  }

  /**
   * language=auto: a page its reading shows to quote words of another script (secondScriptsIn) is
   * read again with that script's model beside its language's (`fra+grc`); the reading stays unless
   * it reads worse. The scripts found, for `detection`.
   */
  async readSecondScripts(best: Pass, script: string): Promise<{ pass: Pass; found: SecondScriptWords[] }> {
    const found = await this.secondScriptsIn(best, script);
    if (found.length === 0) return { pass: best, found };
    const languages = [...best.languages, ...found.map((f) => f.language)];
    const candidate = await this.pass(best.imagePath, languages, best.rotation, best.variables, best.skew, best.transform, best.psm);
    return candidate.score >= best.score ? { pass: candidate, found } : { pass: best, found: [] };
  }

  /**
   * Light text on the page's dark fills (dark-fills.ts): each fill cut, inverted and read as a
   * block in the page's languages, its words in reading order in place of the page's own words on
   * it where they read more surely. Tesseract reads some fills itself (its lines are inverted where
   * they read poorly), others as nothing or as a few signs, some sure: a row of white-on-blue header
   * boxes as "ee ee" (0.00 and 0.37), or a word of it as "CS". A fill read poorly (a picture), or no
   * better than the page read it, adds nothing. Fills are few (two of the corpus's 43 page images).
   */
  async readInverted(best: Pass): Promise<Pass> {
    const thumbnail = await this.thumbnail(best.imagePath);
    if (!thumbnail) return best;
    // The reading's page is the image's size (its TSV says so).
    const { width, height } = best.page.width > 0 && best.page.height > 0 ? best.page : await imageSize(best.imagePath);
    let words = best.page.words;
    for (const fill of darkFills(thumbnail, width, height)) {
      const onFill = words.filter((w) => w.text.trim() && readOn(w, fill));
      const path = await cropInverted(best.imagePath, fill, this.opts.workDir);
      this.passes++;
      const read = (await this.engine.recognize(this.request(path, best.languages, {}, best.transform, BAND_PSM))).words.filter((w) => w.text.trim());
      const signs = read.reduce((n, w) => n + (w.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
      const confidence = meanWordConfidence(read);
      if (confidence < FILL_READING_CONFIDENCE || confidence <= meanWordConfidence(onFill) || signs < FILL_READING_MIN_SIGNS) continue;
      const block = words.reduce((m, w) => Math.max(m, w.block), 0);
      words = insertFillWords(
        words.filter((w) => !onFill.includes(w)),
        placeFillWords(read, fill, block),
        fill,
      );
    }
    return words === best.page.words ? best : toPass({ ...best.page, words }, best);
  }

  /**
   * A reading that falls apart (lost lines, many tiny blocks, low confidence: Korean and Myanmar
   * under Tesseract's automatic layout) is read again as one column of text; the better one stays.
   */
  async fixLayout(best: Pass, pageLines: () => Promise<PageLines | null>): Promise<Pass> {
    if (best.psm !== 3 || best.page.words.length === 0) return best;
    const blocks = new Set(best.page.words.map((w) => w.block)).size;
    // The page's own lines cost a pass over its pixels: only a reading that covers little of the
    // page's height can have lost lines worth that.
    const lines = wordRowShare(best.page) < SPARSE_READING ? await pageLines() : null;
    const lost = lines !== null && uncoveredInk(lines, best.page.words) > LOST_INK_SHARE;
    const pieces = blocks >= SPLIT_BLOCKS && best.page.words.length < blocks * MAX_WORDS_PER_SPLIT_BLOCK;
    if (!lost && !pieces && best.confidence >= SUSPECT_CONFIDENCE) return best;
    const candidate = await this.pass(best.imagePath, best.languages, best.rotation, best.variables, best.skew, best.transform, FALLBACK_PSM);
    const chosen = this.better(best, candidate);
    if (chosen === candidate) this.warnings.push('page was read again as a single column (its automatic layout fell apart)');
    return chosen;
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

  /**
   * Re-reads the page rotated back by the `skew` its reading still shows (the received page's, or
   * what levelling left); keeps whichever reading is better.
   */
  async straighten(best: Pass, source: Source, skew: number): Promise<Pass> {
    if (Math.abs(skew) < MIN_DESKEW_DEG) return best;
    const straight = await rotateImage(source.path, -skew, this.opts.workDir);
    const transform = composeAffine(straight.transform, source.transform);
    const candidate = await this.pass(straight.path, best.languages, best.rotation, best.variables, source.skew + skew, transform);
    // A skewed page often reads word for word as well as a straight one (the score ties) while its
    // lines come out cut and interleaved: measured skew is trusted unless the reading gets worse.
    return candidate.score >= best.score * STRAIGHT_TOLERANCE ? candidate : best;
  }

  /**
   * A small image read poorly usually has text a few pixels high (a screenshot, a table crop):
   * Tesseract reads text of 20-30 px best, so it is read again enlarged.
   */
  async enlargeSmall(best: Pass): Promise<Pass> {
    // Text the first reading found at a readable height was misread for another reason (a turned
    // page, a tint): enlarging it would only cost a reading.
    const heights = best.page.words.map((w) => w.bbox[3] - w.bbox[1]);
    if (heights.length >= FEW_WORDS && median(heights) >= SMALL_TEXT_PX) return best;
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

  /**
   * A small image whose lines are a few pixels high (a table crop) is enlarged before its first
   * reading. With `auto`, every model reads such text poorly, so no script would stand out. With the
   * language given, the reading of the image as received (often no word) was only the cue for
   * enlargeSmall's, and the lines the layout is checked against (fixLayout) were the received
   * image's, not the enlarged one's: a PubTabNet crop kept Tesseract's layout of 6 of its words,
   * 81% CER, where `auto` read it as one block (15%).
   */
  async enlargeTinyText(source: Source, pageLines: () => Promise<PageLines | null>): Promise<Source> {
    const { width, height } = await imageSize(source.path).catch(() => ({ width: 0, height: 0 }));
    if (Math.max(width, height) >= SMALL_IMAGE_SIDE) return source;
    const lines = await pageLines();
    if (!lines || lines.lines.length === 0 || median(lines.lines.map(([a, b]) => b - a)) >= SMALL_TEXT_PX * 1.5) return source;
    const side = Math.max(lines.width, lines.height);
    const scaled = await scaleImage(source.path, Math.min(MAX_ENLARGEMENT, ENLARGED_SIDE / side), this.opts.workDir);
    this.warnings.push(`small image enlarged ${scaled.transform[0].toFixed(1)}x before recognition`);
    return { path: scaled.path, rotation: source.rotation, transform: composeAffine(scaled.transform, source.transform), skew: source.skew };
  }

  /**
   * Levels a skewed page, and turns an upside-down one, before its first reading, from a survey of
   * a small copy (about 30 ms of CPU): such a page is then read once, where reading it as received
   * cost a wasted reading, an OSD call and a second reading. What levelling misses, the first
   * reading's own words still show (`straighten`); a wrong turn reads poorly, and OSD turns it back.
   * Pages in unspaced scripts are left to be read first and straightened only if that reads better:
   * levelled Japanese and Thai pages skewed by 1.5 degrees lost lines in Tesseract's layout.
   * `scripts` is null while unknown (`auto`): the page is levelled but never turned.
   */
  async level(source: Source, scripts: readonly string[] | null): Promise<Source> {
    if (scripts?.some((script) => UNSPACED_SCRIPTS.includes(script))) return source;
    this.surveyed = true;
    const survey = await this.survey(source.path);
    const skew = Math.abs(survey.skew) >= MIN_DESKEW_DEG ? survey.skew : 0;
    const flip =
      scripts !== null && survey.lines >= MIN_SURVEY_LINES && survey.ascenderRatio < UPSIDE_DOWN_RATIO && scripts.every((script) => ASCENDER_SCRIPTS.has(script));
    if (skew === 0 && !flip) return source;
    // Turning by 180 degrees keeps the lines' slope: the skew measured as received still applies.
    const turned = await rotateImage(source.path, (flip ? 180 : 0) - skew, this.opts.workDir);
    if (flip) this.warnings.push('page was rotated by 180 degrees before recognition');
    const rotation = ((source.rotation + (flip ? 180 : 0)) % 360) as Pass['rotation'];
    return { path: turned.path, rotation, transform: composeAffine(turned.transform, source.transform), skew: source.skew + skew };
  }

  /**
   * A colour photograph or scan of paper that is all but grey, as one grey channel: Tesseract
   * thresholds each channel of a colour image, which on the corpus's off-white typewritten pages
   * read slower and worse (1224 -> 806 ms and 2.11% -> 1.65% CER on one, 696 -> 412 ms and 5.82% ->
   * 4.13% on another). Tinted paper keeps its colours: on yellow paper the channels helped.
   */
  async neutralGrey(received: Source): Promise<Source> {
    const meta = await sharp(received.path, { limitInputPixels: false }).metadata();
    const eightBitColour = (meta.channels ?? 1) >= 3 && (meta.format === 'jpeg' || (meta.format === 'png' && (meta.bitsPerSample ?? 8) === 8));
    // CMYK goes through colour management (370 ms for a 300 dpi page against 52 ms for RGB): the engine converts it itself.
    if (!eightBitColour || meta.space === 'cmyk') return received;
    const survey = await this.survey(received.path);
    if (survey.chroma >= NEUTRAL_CHROMA) return received;
    const path = engineImagePath(this.opts.workDir, 'grey');
    await toEngineImage(sharp(received.path, { limitInputPixels: false }).greyscale(), path, await engineDensity(received.path, meta));
    // The same pixels: the grey copy's thumbnail and survey are the received image's.
    this.thumbnails.set(path, this.thumbnail(received.path));
    this.surveys.set(path, Promise.resolve(survey));
    return { ...received, path };
  }

  /** A page decided Latin whose ink balance only upright Latin measures (UPRIGHT_LATIN_BALANCE). */
  async uprightLatin(source: Source, decision: LanguageDecision): Promise<boolean> {
    if (decision.script !== 'Latin') return false;
    const survey = await this.survey(source.path);
    return survey.lines >= MIN_DOUBT_LINES && survey.ascenderRatio >= UPRIGHT_LATIN_BALANCE;
  }

  /**
   * OSD's "Latin, upside down" on a page whose ink balance is no upside-down Latin page's: the
   * scripts OSD suggests are read as the page lies before any at OSD's angle (an upright Armenian
   * page read seven scripts' models upside down for nothing). A page that still reads poorly gets
   * OSD's angle after, as any unclear page does.
   */
  private async balanceDoubtsFlip(path: string, osd: OrientationResult): Promise<boolean> {
    if (osd.rotate !== 180 || normalizeScriptName(osd.script) !== 'Latin') return false;
    const survey = await this.survey(path);
    return survey.lines >= MIN_DOUBT_LINES && survey.ascenderRatio >= NOT_UPSIDE_DOWN_LATIN;
  }

  /**
   * OSD's full look at an image, asked once: a Lao page decided without it (its glance's guess read
   * clearly) had the same look asked twice after the decision, for its turn and its orientation.
   */
  private async osdOfImage(path: string): Promise<OrientationResult> {
    const known = this.osdByImage.get(path);
    if (known) return known;
    const osd = await this.engine.detectOrientation(path, this.opts.timeoutMs);
    this.osdByImage.set(path, osd);
    return osd;
  }

  /** Goes back to the page as received after a turn that read worse; the turn's note goes too. */
  unturn(received: Source): Source {
    const note = this.warnings.findIndex((w) => /^page was rotated by (90|180|270) degrees/.test(w));
    if (note >= 0) this.warnings.splice(note, 1);
    return received;
  }

  /** The page turned as OSD says, when it says so with confidence; null when it is upright. */
  async osdTurn(received: Source): Promise<Source | null> {
    const osd = this.osdOf.get(received.path) ?? (await this.osdOfImage(received.path));
    if (osd.rotate === 0 || osd.orientationConfidence < MIN_OSD_CONFIDENCE) return null;
    const turned = await rotateImage(received.path, osd.rotate, this.opts.workDir);
    return { path: turned.path, rotation: osd.rotate, transform: composeAffine(turned.transform, received.transform), skew: received.skew };
  }

  /** Adopts a turned page: the client is told. */
  turned(source: Source): Source {
    this.warnings.push(`page was rotated by ${source.rotation} degrees before recognition`);
    return source;
  }

  /**
   * Turns a page whose lines run vertically before its first reading. A Latin page's ascenders tell
   * which way up it is from the thumbnail already decoded (OSD costs about 0.6 s of a core); other
   * scripts, and Latin pages whose balance is unclear, are turned only when OSD agrees.
   */
  async turnUpright(received: Source, languages: readonly string[] | null): Promise<Source> {
    const { width, height } = await imageSize(received.path).catch(() => ({ width: 0, height: 0 }));
    if (!mayBeSideways(width, height)) return received;
    const thumbnail = await this.thumbnail(received.path);
    if (!thumbnail || !linesRunVertically(thumbnail)) return received;
    const byAscenders = this.latin(languages) ? await this.ascenderTurn(received.path) : null;
    const rotate = byAscenders?.rotate ?? (await this.osdSideways(received.path));
    if (rotate === null) return received;
    this.warnings.push(`page was rotated by ${rotate} degrees before recognition`);
    const turned = await rotateImage(received.path, rotate, this.opts.workDir);
    // The turned thumbnail was surveyed already: levelling reuses it instead of decoding the turned image.
    if (byAscenders) this.surveys.set(turned.path, Promise.resolve(byAscenders.turnedSurvey()));
    return { path: turned.path, rotation: rotate, transform: composeAffine(turned.transform, received.transform), skew: received.skew };
  }

  /**
   * 90 or 270 when the page's lines, looked at turned by 90 degrees, are clearly upright or clearly
   * upside down; with the survey of the page so turned, for levelling it.
   */
  private async ascenderTurn(path: string): Promise<{ rotate: 90 | 270; turnedSurvey: () => PageSurvey } | null> {
    const thumbnail = await this.thumbnail(path);
    if (!thumbnail) return null;
    const at90 = surveyThumbnail(turnThumbnail(thumbnail, 90));
    if (at90.lines < MIN_SURVEY_LINES) return null;
    // Turning the other way swaps the ink above and below the lines: what reads upside down at 90 is upright at 270.
    if (at90.ascenderRatio >= 1 / UPSIDE_DOWN_RATIO) return { rotate: 90, turnedSurvey: () => at90 };
    if (at90.ascenderRatio < UPSIDE_DOWN_RATIO) return { rotate: 270, turnedSurvey: () => surveyThumbnail(turnThumbnail(thumbnail, 270)) };
    return null;
  }

  private async osdSideways(path: string): Promise<90 | 270 | null> {
    const osd = await this.osdOfImage(path);
    return (osd.rotate === 90 || osd.rotate === 270) && osd.orientationConfidence >= MIN_OSD_CONFIDENCE ? osd.rotate : null;
  }

  /** A sideways reading scores well but reads scrambled: an upright candidate must only match it. */
  async fixOrientation(best: Pass, sideways = false): Promise<Pass> {
    // A Latin reading that came out sideways is turned by its ascenders when they are clear.
    const byAscenders = sideways && this.latin(best.languages) ? ((await this.ascenderTurn(best.imagePath))?.rotate ?? null) : null;
    const osd = byAscenders === null ? await this.osdOfImage(best.imagePath) : null;
    const rotate = byAscenders ?? (osd && osd.orientationConfidence >= MIN_OSD_CONFIDENCE ? osd.rotate : 0);
    if (rotate === 0) return best;
    const rotated = await rotateImage(best.imagePath, rotate, this.opts.workDir);
    const total = ((best.rotation + rotate) % 360) as Pass['rotation'];
    const transform = composeAffine(rotated.transform, best.transform);
    const candidate = await this.pass(rotated.path, best.languages, total, best.variables, best.skew, transform);
    const upright = sideways && !looksSideways(candidate.page.words) && candidate.score >= best.score * 0.8;
    const chosen = upright ? candidate : this.better(best, candidate);
    if (chosen === candidate) this.warnings.push(`page was rotated by ${rotate} degrees before recognition`);
    return chosen;
  }

  /** Whether every language named is written in Latin script, whose ascenders tell a page's way up. */
  latin(languages: readonly string[] | null): boolean {
    const scripts = languages ? scriptsOf(this.opts.available, languages) : [];
    return scripts.length > 0 && scripts.every((script) => ASCENDER_SCRIPTS.has(script));
  }

  /**
   * Variables every reading of this page starts from: the tiled threshold for a page the survey
   * shows losing its strokes to a global one (which then costs no wasted reading and no OSD).
   */
  imageVariables: Record<string, string> = {};

  async chooseThreshold(path: string): Promise<void> {
    if ((await this.survey(path)).globalThresholdLoss > TILED_THRESHOLD_LOSS) this.imageVariables = { ...TILED_THRESHOLD };
  }

  /** Tesseract's global Otsu threshold fails on tinted or unevenly lit paper; the tiled one copes (and a poor tiled reading gets the global one). */
  async fixBinarisation(best: Pass): Promise<Pass> {
    // A bilevel scan is already binarised: another threshold would read it exactly the same.
    if (await isBilevel(best.imagePath).catch(() => false)) return best;
    const tiled = best.variables['thresholding_method'] === TILED_THRESHOLD.thresholding_method;
    // The tiled threshold's own variables go with it: one warm engine process per combination of settings.
    const others = Object.fromEntries(Object.entries(best.variables).filter(([key]) => !(key in TILED_THRESHOLD)));
    const variables = { ...others, ...(tiled ? GLOBAL_THRESHOLD : TILED_THRESHOLD) };
    return this.better(best, await this.pass(best.imagePath, best.languages, best.rotation, variables, best.skew, best.transform));
  }
}

/**
 * One page image (any format Tesseract reads) to PageContent. Cheap measures on a small copy of
 * the image come first (lines running vertically, a projection-profile skew), so that a sideways or
 * skewed page is turned and levelled before its one reading; the reading's own word boxes then check
 * the skew that is left, and only a poor reading pays for orientation detection, a second
 * binarisation or a second layout mode. With `auto`, the script and the language are decided before the page's
 * reading from short readings of a band of a few lines, so an `auto` page costs one reading plus a
 * fraction. Every candidate reading replaces the current one only if it reads better.
 */
export async function recognizePage(pool: EnginePool, imagePath: string, opts: RecognizePageOptions): Promise<PageContent> {
  return pool.run(async (engine) => {
    const pipeline = new PagePipeline(engine, opts, pool);
    const auto = opts.languages === 'auto';
    const asReceived: Source = { path: imagePath, rotation: 0, transform: IDENTITY, skew: 0 };
    // The same pixels in grey where colour only slows the engine: the page as received, for every reading.
    const received = opts.recovery ? await pipeline.neutralGrey(asReceived).catch(() => asReceived) : asReceived;
    let source = opts.recovery ? await pipeline.turnUpright(received, auto ? null : (opts.languages as string[])) : received;
    const unlevelled = source;
    if (opts.recovery) source = await pipeline.level(source, auto ? null : scriptsOf(opts.available, opts.languages as string[]));
    const levelled = source !== unlevelled ? source : null;
    if (opts.recovery) await pipeline.chooseThreshold(unlevelled.path);
    const lines = new Map<string, Promise<PageLines | null>>();
    const linesOf = (path: string) => lines.get(path) ?? lines.set(path, pipeline.textLines(path).catch(() => null)).get(path)!;
    const pageLines = () => linesOf(source.path);
    if (opts.recovery && opts.dpiFromFile) pipeline.sizeText(await pageLines(), source);
    const noLines: PageLines = { width: 0, height: 0, lines: [], slope: 0, gaps: [] };
    let decision: LanguageDecision | null = null;
    let first: Pass | null = null;
    let bandReading: BandReading | null = null;
    /** The reading the language was decided on (a band's, a peek's or the page's). */
    let decided: Pass | null = null;
    /** Reads the band the language was decided on (cached: a model that read it costs nothing). */
    let probeBand: ((model: string) => Promise<Probe>) | null = null;
    if (opts.recovery) source = await pipeline.enlargeTinyText(source, pageLines);
    let deferred = false;
    if (auto) ({ decision, first, bandReading, decided, deferred, probeBand } = await pipeline.decide(source, (await pageLines()) ?? noLines, true, opts.recovery));
    // A script read unclearly may be a page read at the wrong angle: a turned page is decided as
    // received too (OSD turned an upright Tibetan page once), and a page as received is decided
    // turned as OSD says (a sideways portrait page, which the line measure does not look at). The
    // clearer decision is read. A script the page's look named and that read far better than the
    // look's others was seen at this angle: Myanmar's own model reads its pages at 0.56-0.67, and
    // OSD, calling them Arabic upside down, cost seven band readings at the wrong angle. Nor is a
    // page decided Latin whose ink balance only upright Latin measures (UPRIGHT_LATIN_BALANCE), unless
    // its decision waits for OSD's angle (a scanned Syriac page OSD turned sideways).
    if (auto && opts.recovery && decision && decision.scriptConfidence < TURNED_SCRIPT_TRUST && !decision.byLook && (deferred || !(await pipeline.uprightLatin(source, decision)))) {
      const other = source.rotation !== 0 ? received : await pipeline.osdTurn(source);
      if (other) {
        const alt = await pipeline.decide(other, (await linesOf(other.path)) ?? noLines, false);
        // Clearly clearer only: OSD misjudges typewritten pages' angle, and any script reads a
        // little at a wrong angle (an upside-down German letter read 0.69 as Thai).
        const clearer = alt.decision.scriptConfidence >= Math.max(TURNED_SCRIPT_TRUST, decision.scriptConfidence + CLEARER_BY);
        if (clearer) {
          ({ decision, first, bandReading, decided, probeBand } = alt);
          source = other === received ? pipeline.unturn(received) : pipeline.turned(other);
        }
      }
      // OSD's turn read no better: the scripts left unread at this angle are read now after all.
      if (deferred && source.path !== other?.path) ({ decision, first, bandReading, decided, probeBand } = await pipeline.decide(source, (await pageLines()) ?? noLines));
    }
    // A page found to be in an unspaced script is read as with its language given: as received,
    // straightened after (levelled Japanese and Thai pages lost lines). A band cut from the page as
    // received stands for its lines, as in other scripts: on the whole clean rendered pages, Chinese,
    // Thai and Khmer read as well or better around it (Khmer 13.9% -> 3.6% CER, its page's own layout
    // losing words the band's block kept), Japanese 0.45 points worse. A small page's probe, read
    // whole as one block, is its reading too: on the 18 small pages of Chinese, Japanese, Thai, Lao,
    // Khmer, Myanmar and Tibetan it read as well as Tesseract's layout or better (Khmer 9.2% -> 2.4%,
    // Myanmar 82% -> 64%) but on one (Tibetan 1.5% -> 1.8%), where reading it again cost 0.4-0.8 s.
    if (decision && UNSPACED_SCRIPTS.includes(decision.script)) {
      const wasLevelled = levelled !== null && source === levelled;
      if (wasLevelled) {
        first = null;
        source = unlevelled;
      }
      // The survey's skew is applied later, as for a page it never measured, if the reading is poor.
      pipeline.surveyed = false;
    }
    if (decision && READ_WHOLE_SCRIPTS.has(decision.script)) bandReading = null;
    // Words of another script on the band the language was decided on: the page is read once, with
    // both models (the corpus's French page quoting Greek had them on its band; a line's probe is the
    // line). Elsewhere on the page, its reading tells (readSecondScripts).
    let otherScripts: SecondScriptWords[] = decision && decided && opts.recovery ? await pipeline.secondScriptsIn(decided, decision.script) : [];
    if (otherScripts.length > 0) first = bandReading = null;
    const languages = decision ? [decision.language, ...otherScripts.map((f) => f.language)] : (opts.languages as string[]);
    // A probe of the whole page that is read on counts as the page's reading, not as a probe.
    if (first) pipeline.adoptProbe();
    let best =
      first ??
      (bandReading && (await pipeline.readAroundBand(source, languages, bandReading))) ??
      (await pipeline.pass(source.path, languages, source.rotation, pipeline.imageVariables, source.skew, source.transform));
    // A line's probe, read as one block, is its reading; read unsurely, the line is read with
    // Tesseract's layout too, and the better reading stays (a polytonic Greek line: 0.73 as a block,
    // 0.88 and 11.4% -> 5.7% CER with the layout; a Syriac one, 0.85 as a block, reads 12.8% with it).
    if (first && opts.recovery && best.confidence < SURE_LINE && lineImage(await pageLines())) {
      best = pipeline.better(best, await pipeline.pass(source.path, best.languages, source.rotation, pipeline.imageVariables, source.skew, source.transform));
    }
    if (!auto && source.rotation !== 0 && best.confidence < SUSPECT_CONFIDENCE) {
      const upright = await pipeline.pass(received.path, best.languages, 0, pipeline.imageVariables, 0, received.transform);
      if (pipeline.better(best, upright) === upright) {
        best = upright;
        source = pipeline.unturn(received);
      }
    }
    if (opts.recovery && (best.confidence < SUSPECT_CONFIDENCE || best.page.words.length < FEW_WORDS)) best = await pipeline.enlargeSmall(best);
    const sideways = looksSideways(best.page.words);
    if (opts.recovery && !sideways) best = await pipeline.straighten(best, source, skewFromWords(best.page.words));

    if (opts.recovery && (sideways || best.confidence < SUSPECT_CONFIDENCE)) {
      // A page `level` measured already has its projection-profile skew applied.
      if (!sideways && !pipeline.surveyed) best = await pipeline.straighten(best, source, (await pipeline.survey(source.path)).skew);
      best = await pipeline.fixOrientation(best, sideways);
    }
    if (opts.recovery && best.confidence < SUSPECT_CONFIDENCE) best = await pipeline.fixBinarisation(best);
    // Word boxes and the page's lines are compared only in the same image.
    if (opts.recovery) best = await pipeline.fixLayout(best, async () => (best.imagePath === source.path ? pageLines() : null));
    if (decision) best = await pipeline.confirmLanguage(best, decision, probeBand);
    if (opts.recovery) {
      const bandSource = source;
      best = await pipeline.fixWeakModel(best, probeBand ?? (async (model) => pipeline.readBand(bandSource, await pageLines(), model)));
    }
    if (decision && opts.recovery && otherScripts.length === 0) ({ pass: best, found: otherScripts } = await pipeline.readSecondScripts(best, decision.script));
    if (opts.recovery) best = await pipeline.readInverted(best);

    const blocks = buildBlocks(best.page.words);
    // A page its script's model read (its language's own read it far worse) is still in the language
    // it was read for, decided or given: `languages` names the page's languages (a job's
    // detected_languages, hOCR's lang). Only readAlso reads a script model for a language; a script
    // model the client named itself is named as it is.
    const scriptModelReadFor = best.readFor ?? null;
    if (scriptModelReadFor) pipeline.warnings.push(`read in Tesseract's ${best.languages[0] ?? ''} script model, which read it far more surely than ${scriptModelReadFor}'s own`);
    const pageLanguages = scriptModelReadFor ? [scriptModelReadFor, ...best.languages.slice(1)] : best.languages;
    const language = pageLanguages[0] ?? '';
    const script = decision?.script ?? opts.available.find((l) => l.tesseract === language)?.script;
    return {
      width: best.page.width,
      height: best.page.height,
      dpi: dpiOf(opts.dpi, best.transform),
      rotation: best.rotation,
      skew: best.skew,
      transform: best.transform,
      source: 'ocr',
      languages: pageLanguages,
      ...(script ? { script } : {}),
      ...(decision
        ? {
            detection: {
              script: decision.script,
              script_confidence: decision.scriptConfidence,
              language,
              language_confidence: language === decision.language ? decision.languageConfidence : 0,
              probes: pipeline.probes,
              ...(otherScripts.length > 0 ? { other_scripts: otherScripts } : {}),
            },
          }
        : {}),
      text: renderText(blocks),
      markdown: renderMarkdown(blocks),
      mean_confidence: meanConfidence(blocks),
      blocks,
      // Once each: both parts of a page read around its band may have been read again as one column.
      warnings: [...new Set(pipeline.warnings)],
      recognition_passes: pipeline.passes,
    };
  });
}
