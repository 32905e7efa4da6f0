import type { PageSurvey } from './page-survey';

/**
 * Below this balance of ink above and below the lines' cores a Latin page is upside down: upright
 * pages measured 0.61 (Hungarian) and up, turned ones 0.05-0.56 (39 rendered pages and the corpus);
 * pages in between are left to OSD after their first reading.
 */
export const UPSIDE_DOWN_RATIO = 0.45;
/** Fewer lines than this are too few to doubt OSD on, or to ask it before an English reading. */
export const MIN_DOUBT_LINES = 5;
/**
 * Lines' cores (PageSurvey.coreShare) this thin or this square are not Latin's: Latin pages measured
 * 0.54-0.77 (nine languages rendered clean and scanned, the corpus's pages); Arabic 0.29-0.41,
 * Tibetan 0.31-0.39, most Myanmar and Telugu pages below 0.48; Chinese, Japanese and Korean
 * 0.84-0.95, clean Hebrew and Amharic above 0.8.
 */
const THIN_CORES = 0.48;
const SQUARE_CORES = 0.8;
/**
 * A headline this marked (PageSurvey.headline) over cores this thin is not Latin's: most
 * Devanagari, Bengali, Gurmukhi and Hebrew pages measured 1.3-1.49, the first three on cores of
 * 0.47-0.58 (Hebrew's are square). Latin pages measured 1.00-1.25 in the faces the scripts test
 * renders, but up to 1.62 in a sans or a schoolbook face, whose densest row is the x-line (15 of
 * 630 pages in 7 faces: DejaVu Sans, C059, Nimbus Sans), on cores of 0.59 and up: taken for
 * another script's, each cost OSD's glance before its English reading.
 */
const HEADLINE_PEAK = 1.3;
const HEADLINED_CORES = 0.59;
/** The lines' shapes are judged on this many lines or more (each line is measured on its own). */
const MIN_SHAPE_LINES = 3;

/**
 * Whether a page's look rules out upright Latin before any reading: then the scripts its look names
 * (scriptsByLook), or OSD, come first, and an English reading is made only where OSD says Latin. A
 * look alone does not skip English: where it names scripts but Latin is not unlikely, English is
 * read first and the look's scripts after it (the measures below never fired on a Latin page; the
 * looks were measured on fewer pages, and enlarged tiny English text looked Amharic). A wrong
 * "unlikely" costs an OSD call, not the result. Below the balance of upside-down Latin the page is upright in another script (Russian,
 * Bengali, Malayalam, Amharic pages measured 0.12-0.44) or Latin turned, which OSD tells.
 */
export function latinUnlikely(survey: PageSurvey): boolean {
  if (survey.lines >= MIN_DOUBT_LINES && survey.ascenderRatio < UPSIDE_DOWN_RATIO) return true;
  if (survey.lines < MIN_SHAPE_LINES) return false;
  // Myanmar's shape too: its English reading (0.45) cost as long as the page's reading of its band.
  return survey.coreShare < THIN_CORES || squareScript(survey) || (survey.headline >= HEADLINE_PEAK && survey.coreShare < HEADLINED_CORES) || myanmarShape(survey) || georgianShape(survey);
}

/**
 * Square cores that a square script's look names: capitals and figures make Latin lines as square
 * (a small table enlarged, 0.80 under a headline of 1.18, matched no look), and English is read
 * first on such a page as on any other.
 */
function squareScript(survey: PageSurvey): boolean {
  return survey.coreShare > SQUARE_CORES && scriptsByLook(survey).length > 0;
}

/**
 * Georgian's shape: cores under Latin's usual with a fifth of the ink outside them, more below than
 * above (its eight rendered pages: cores 0.51-0.53, outside ink 0.198-0.210, balance 0.57-0.68). Of
 * the Latin pages (rendered and the corpus's), the one with a balance under 0.8 (0.61) had outside
 * ink of 0.115, the one with outside ink over 0.19 (0.225, a typewritten Danish page) a balance of
 * 1.11. Its English reading cost as long as its band's reading in Georgian.
 */
function georgianShape(s: PageSurvey): boolean {
  return s.ascenderRatio < 0.8 && s.coreShare < 0.54 && s.outerInk > 0.19;
}

/**
 * The fourth Myanmar page's shape (below): cores of 0.51 with a quarter of the ink outside them and
 * more below than above. Latin cores measured 0.54 and up, its outside ink 0.23 at most.
 */
function myanmarShape(s: PageSurvey): boolean {
  return s.ascenderRatio < 1 && s.coreShare < 0.53 && s.outerInk > 0.24;
}

/**
 * Latin handwriting's shape: a fifth to a third of the ink outside the lines' cores (loops above and
 * below them), far more above than below. The corpus's handwritten pages measured outside ink of
 * 0.232-0.362 with balances of 2.31-3.91 on six of its seven (the seventh, a hand of square cores,
 * 0.11). Printed Latin's outside ink measured 0.23 at most (a typewritten page's, balance 1.11);
 * of the other scripts' 168 rendered pages (42 languages, small and whole, clean and scanned), those
 * with this much ink outside had balances of 1.66 at most (Myanmar, Tibetan, Gurmukhi, Devanagari,
 * Persian), but for Arabic's clean pages (2.04-2.07), whose look reads Arabic's model first.
 */
const HAND_OUTER_INK = 0.22;
const HAND_BALANCE = 2.2;

/** Whether a page's lines look handwritten in Latin's way (HAND_OUTER_INK, HAND_BALANCE). */
export function handwrittenLatin(s: PageSurvey): boolean {
  return s.lines >= MIN_SHAPE_LINES && s.outerInk >= HAND_OUTER_INK && s.ascenderRatio >= HAND_BALANCE;
}

/** Thin cores with more ink below them than above, or Myanmar's shape: Tibetan and Myanmar (LOOKS). */
function thinWithInkBelow(s: PageSurvey): boolean {
  return (s.ascenderRatio < 1 && s.coreShare < 0.46) || myanmarShape(s);
}

/**
 * Greek's shape: Latin-like cores with some ink outside them, about as much below as above (its
 * descenders are as common as its ascenders and accents): its eight rendered pages measured cores of
 * 0.56-0.62, outside ink 0.083-0.118, balances of 0.68-1.25. Latin's pages with as little ink above
 * are Hungarian ones (0.61-1.06, cores 0.54-0.57, outside ink 0.115-0.131) whose English readings are
 * sure, so no look is read; a scanned Malayalam page matches too, which its English reading rules out
 * (READS_WELL in auto-language).
 */
function greekShape(s: PageSurvey): boolean {
  return s.ascenderRatio >= 0.6 && s.ascenderRatio < 1.3 && s.coreShare >= 0.55 && s.coreShare < 0.66 && s.outerInk >= 0.08 && s.outerInk < 0.122 && s.headline < 1.25;
}

/**
 * Sinhala's and Gujarati's shape: cores a little thinner than most Latin's with 11-20% of the ink
 * outside them, far more above than below, and no headline: Sinhala's pages measured balances of
 * 2.74-4.99, cores 0.51-0.57, outside ink 0.127-0.194, headlines 1.00-1.05; Gujarati's 1.48-2.64,
 * 0.53-0.60, 0.114-0.157, 1.00. Latin's pages with such balances and ink outside their cores have
 * Vietnamese's or Polish's accents (headlines 1.11-1.18) or a handwritten hand's strokes (outside
 * ink 0.23 and up); Thai's and Lao's pages of this shape read English poorly, and are not read in
 * these (READS_WELL in auto-language).
 */
function sinhalaShape(s: PageSurvey): boolean {
  return s.ascenderRatio >= 2.3 && s.coreShare >= 0.5 && s.coreShare < 0.61 && s.outerInk >= 0.11 && s.outerInk < 0.2 && s.headline < 1.08;
}

/**
 * Armenian's shape: thin cores with 17-18% of the ink outside them, about as much above as below, no
 * headline (its rendered pages: cores 0.48-0.52, outside ink 0.173-0.184, balances 0.86-1.33,
 * headlines 1.00). Latin's pages with that much ink outside have wider cores (a typewritten Danish
 * page: 0.56, 0.225) or a hand's strokes; Khmer's have less outside (0.135-0.158); two clean Telugu
 * pages match, which their English readings rule out (READS_WELL in auto-language).
 */
function armenianShape(s: PageSurvey): boolean {
  return s.coreShare >= 0.46 && s.coreShare < 0.55 && s.outerInk >= 0.165 && s.outerInk < 0.19 && s.ascenderRatio >= 0.8 && s.ascenderRatio < 1.4 && s.headline < 1.05;
}

/** A headline over Latin-like cores: Devanagari, Bengali and Gurmukhi (LOOKS). */
function headlined(s: PageSurvey): boolean {
  return s.headline >= 1.25 && s.coreShare >= 0.45 && s.coreShare < 0.62;
}

/** A shape of lines that only some scripts have, and those scripts in the order they are read. */
interface Look {
  scripts: readonly string[];
  matches(survey: PageSurvey): boolean;
}

/**
 * Latin-like cores with little ink outside them and no more above than below: Cyrillic, whose lower
 * case is mostly x-height (outside ink 0.02-0.08, balance 0.0-0.83 on 12 of its 16 pages). Latin's
 * outside ink measured 0.045-0.14, with balances of 1.5 and up where below 0.08; upside-down Latin
 * 0.09-0.12, Malayalam 0.085-0.096, Greek 0.083 and up; a scanned Tamil page (0.059) reads
 * Cyrillic's model for nothing.
 */
function cyrillicShape(s: PageSurvey): boolean {
  return s.outerInk < 0.08 && s.ascenderRatio < 1 && s.coreShare >= 0.6 && s.coreShare <= 0.8 && s.headline < 1.2;
}

/** Japanese first: its kana tell at once; Chinese next, the commoner; Korean's model reads Han too. */
const CJK: readonly string[] = ['Japanese', 'Han', 'Hangul'];
/**
 * Square cores too, of simpler signs: Cherokee's capitals (0.86-0.96, outside ink 0.02-0.04) and
 * Inuktitut's syllabics (0.82-0.92, 0.03-0.07), which OSD has no model for (it called them Latin,
 * and Cyrillic, Bengali or Latin upside down): after the CJK models, whose readings of them are
 * poor (0.20-0.40), they cost 2 band readings where every script cost 10-30.
 */
const SQUARE: readonly string[] = [...CJK, 'Cherokee', 'Canadian_Aboriginal'];

/**
 * The looks measured on 156 rendered pages (39 languages in 26 scripts, small and whole, clean and
 * scanned) and the corpus's pages, none of which matches a Latin page at its own size (enlarged tiny
 * English text looked Amharic); the first that matches names the scripts. A wrong look costs a band
 * reading per script named, then OSD is asked as before; a right one spares OSD's call (0.25-1.0 s
 * on a band).
 */
const LOOKS: readonly Look[] = [
  // Square cores without a headline: Chinese, Japanese and Korean (0.85-0.95 on 15 of their 16
  // pages, a scanned traditional Chinese one 0.84; headlines 1.00-1.10).
  { scripts: SQUARE, matches: (s) => s.coreShare > 0.85 && s.headline < 1.15 },
  // Nearly as square, no headline: Amharic (0.79-0.84; at 0.842 it read the three CJK models for
  // nothing), and the squarest Cyrillic page (0.79) and the scanned Chinese one (0.84).
  { scripts: ['Ethiopic', 'Cyrillic'], matches: (s) => s.coreShare > 0.78 && s.headline < 1.15 && cyrillicShape(s) },
  { scripts: ['Ethiopic', ...SQUARE], matches: (s) => s.coreShare > 0.78 && s.headline < 1.15 },
  // Square with a headline: Hebrew (cores 0.79-0.86, headlines 1.24-1.34).
  // A clean whole Cherokee page's cores measured 0.96 under a headline of 1.21.
  { scripts: ['Hebrew', 'Cherokee', 'Canadian_Aboriginal'], matches: (s) => s.coreShare > 0.78 && s.headline >= 1.2 },
  // Thin cores with more ink above them than below: Arabic (0.29-0.41, balance 1.07-2.07). Tibetan's
  // and Myanmar's thin cores have more below (0.38-0.89), Telugu's measured 0.45 and up.
  { scripts: ['Arabic'], matches: (s) => s.coreShare < 0.43 && s.ascenderRatio >= 1 },
  // Thin cores with more ink below: Tibetan (0.31-0.39, balance 0.38-0.62) and Myanmar (0.37-0.45 on
  // three of its four pages, 0.67-0.89), which OSD calls Cyrillic turned sideways and Arabic upside
  // down (6 and 12 band readings, where each reads its own band at 0.73 and 0.65). The fourth Myanmar
  // page's cores are 0.51, with a quarter of its ink outside them (Tibetan 0.31-0.33, Myanmar
  // 0.26-0.29; Latin 0.23 at most, Georgian 0.21). Tibetan's letters hang from a headline (1.20-1.30
  // on its pages, cores 0.31-0.39); Myanmar's round ones have none (1.05-1.12), or wider cores
  // (0.51): such a page reads Myanmar's model first (Tibetan's read its bands for nothing, 0.4-1.0 s).
  { scripts: ['Myanmar', 'Tibetan'], matches: (s) => thinWithInkBelow(s) && (s.headline < 1.16 || s.coreShare >= 0.46) },
  { scripts: ['Tibetan', 'Myanmar'], matches: thinWithInkBelow },
  // A headline over Latin-like cores: Devanagari, Bengali and Gurmukhi (headlines 1.25-1.49, cores
  // 0.47-0.58); Latin's headlines measured 1.25 at most, on cores of 0.66. Gurmukhi's cores are the
  // widest, with the most ink outside them (0.54-0.58 and 0.23-0.27 on its pages here, Devanagari's
  // and Bengali's 0.47-0.52 and 0.15-0.22): such a page reads Gurmukhi's model first (Hindi's and
  // Bengali's read it for nothing, 0.4-0.8 s on a small page).
  { scripts: ['Gurmukhi', 'Devanagari', 'Bengali'], matches: (s) => headlined(s) && s.coreShare >= 0.53 && s.outerInk >= 0.22 },
  { scripts: ['Devanagari', 'Bengali', 'Gurmukhi'], matches: headlined },
  // Georgian's shape (above), on a page no look before named: OSD calls Georgian pages Malayalam
  // (a glance Telugu or Latin), and its two looks cost more than the page's reading. Of the 156
  // rendered pages and the corpus's, one other matches it here (a scanned whole Gurmukhi page whose
  // headline measured just under the look above): a Georgian reading for nothing.
  { scripts: ['Georgian'], matches: georgianShape },
  { scripts: ['Cyrillic'], matches: cyrillicShape },
  // OSD calls Greek's pages Latin or nothing on a glance, and Greek on its full look (0.6-0.7 s): its
  // model came after OSD's look, or after Armenian's and Gujarati's readings of the page.
  { scripts: ['Greek'], matches: greekShape },
  // OSD calls Sinhala's pages Hebrew, Kannada, Thai or Latin, Gujarati's Latin (1.5-3 s of looks and
  // readings on a whole Sinhala page). Gujarati's balances are the lower (up to 2.64; Sinhala's 2.74
  // and up): its model first under 2.7.
  { scripts: ['Gujarati', 'Sinhala'], matches: (s) => sinhalaShape(s) && s.ascenderRatio < 2.7 },
  { scripts: ['Sinhala', 'Gujarati'], matches: sinhalaShape },
  // OSD calls Armenian's pages Latin (unsure on a glance), whose first suggestion is Armenian: the
  // look spares the glance.
  { scripts: ['Armenian'], matches: armenianShape },
];

/**
 * The scripts a page's look names before any reading, in the order they are read (none unless the
 * look is one that only those scripts have).
 */
export function scriptsByLook(survey: PageSurvey): readonly string[] {
  if (survey.lines < MIN_SHAPE_LINES) return [];
  return LOOKS.find((look) => look.matches(survey))?.scripts ?? [];
}

/**
 * Shapes measured on every page of their scripts (the 156 rendered pages and the corpus): square
 * cores (Chinese, Japanese and Korean 0.84-0.95, Hebrew and Amharic 0.79-0.86), thin ones (Arabic
 * and Persian 0.29-0.41, Myanmar 0.36-0.51), Malayalam's few strokes outside its cores (outside ink 0.085-0.096), and
 * Armenian's many (0.173-0.184) on lines with about as much ink above as below.
 * A page far from a script's shape is not read in it before OSD's other suggestions: Sinhala pages
 * (cores 0.51-0.57), which OSD calls Hebrew, and Georgian ones (outside ink 0.20-0.21), which it
 * calls Malayalam.
 */
const SHAPES: readonly { scripts: readonly string[]; contradicted(survey: PageSurvey): boolean }[] = [
  { scripts: ['Han', 'Japanese', 'Hangul', 'Hebrew', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal'], contradicted: (s) => s.coreShare < 0.7 },
  { scripts: ['Arabic'], contradicted: (s) => s.coreShare > 0.5 },
  // Myanmar's pages: cores of 0.36-0.51. A glance calls Syriac's pages (0.55-0.62) Arabic, whose
  // first suggestion is Myanmar: its model read them for nothing (0.4 s on a small page).
  { scripts: ['Myanmar'], contradicted: (s) => s.coreShare >= 0.54 },
  { scripts: ['Malayalam'], contradicted: (s) => s.outerInk > 0.15 },
  // Armenian's pages: 0.173-0.184 of the ink outside the cores, balances of 0.86-1.33. OSD calls
  // Gujarati pages Latin too, whose lines have less ink outside and far more above (0.114-0.157,
  // 1.48-4.33): Armenian's model read them first for nothing.
  { scripts: ['Armenian'], contradicted: (s) => s.outerInk < 0.16 && s.ascenderRatio > 1.4 },
];

/** Scripts whose measured shape the page's lines are far from (none on a page of too few lines). */
export function scriptsUnlike(survey: PageSurvey): readonly string[] {
  if (survey.lines < MIN_SHAPE_LINES) return [];
  return SHAPES.filter((shape) => shape.contradicted(survey)).flatMap((shape) => shape.scripts);
}
