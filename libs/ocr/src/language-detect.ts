import { ALPHABETS } from './alphabets';
import { ENGLISH_MODEL_LETTER_RATES, ENGLISH_MODEL_LETTERS } from './letter-rates';
import type { LanguageInfo } from './languages';

/** Fewer letters than this and trigram statistics are guesswork. */
const MIN_LETTERS = 40;

/** franc answers in ISO 639-3; where Tesseract's model code differs, this maps it. */
const ISO3_TO_TESSERACT: Readonly<Record<string, string>> = {
  cmn: 'chi_sim',
  nob: 'nor',
  nno: 'nor',
  zlm: 'msa',
  zsm: 'msa',
  uzn: 'uzb',
  azj: 'aze',
  pes: 'fas',
  prs: 'fas',
  arb: 'ara',
  ekk: 'est',
  lvs: 'lav',
  khk: 'mon',
  npi: 'nep',
  swh: 'swa',
  tgl: 'fil',
  ydd: 'yid',
  als: 'sqi',
  pbu: 'pus',
  ckb: 'kmr',
  gug: 'grn',
};

type FrancAll = (text: string, options: { only?: string[]; minLength?: number }) => Array<[string, number]>;
let francPromise: Promise<FrancAll> | null = null;

/** franc is an ES module; loaded once, on first use. */
function loadFranc(): Promise<FrancAll> {
  francPromise ??= import('franc-all').then((m) => m.francAll as FrancAll);
  return francPromise;
}

/**
 * Languages whose trigram score is within this share of the best are all plausible: text read
 * without its diacritics scores close to its neighbours (Czech read by the English model: Serbian
 * 1.000, Croatian 0.998, Bosnian 0.997, Slovenian 0.996, Czech 0.993).
 */
const PLAUSIBLE_SHARE = 0.99;

/**
 * Tesseract models the text may be written in with franc's score (1 for the best, relative below),
 * most likely first, among the installed languages of `script`; empty when it cannot be told.
 * franc (trigrams, ISO 639-3) told Slovak from Czech and Polish on the corpus where tinyld did not.
 * `readBy` is the model that read the text, where known (ALPHABET_PENALTY).
 */
export async function scoreTextLanguages(
  text: string,
  available: readonly LanguageInfo[],
  script: string | undefined,
  readBy?: string,
): Promise<Array<[string, number]>> {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return [];
  // Text read in one script is only evidence for languages written in it (Czech read without its
  // diacritics looks like Serbian, whose model is Cyrillic).
  const installed = new Set(available.filter((l) => !script || l.script === script).map((l) => l.tesseract));
  const candidates = new Map<string, string>();
  for (const model of installed) if (/^[a-z]{3}$/.test(model)) candidates.set(model, model);
  for (const [iso, model] of Object.entries(ISO3_TO_TESSERACT)) if (installed.has(model)) candidates.set(iso, model);
  if (candidates.size === 0) return [];
  const francAll = await loadFranc();
  const ranked = francAll(text, { only: [...candidates.keys()], minLength: MIN_LETTERS });
  const out: Array<[string, number]> = [];
  const beyondAscii = lettersBeyondAscii(text, readBy);
  const missing = readBy === 'eng' ? lettersEnglishNeverWrote(beyondAscii) : null;
  for (const [iso, score] of ranked) {
    const model = candidates.get(iso);
    if (!model || out.some(([m]) => m === model)) continue;
    const unlikely = lacksLetters(model, beyondAscii) || (missing !== null && wouldHaveWritten(model, missing));
    out.push([model, unlikely ? score * (1 - ALPHABET_PENALTY) : score]);
  }
  out.sort((a, b) => b[1] - a[1]);
  const best = out[0]?.[1] ?? 1;
  return out.map(([model, score]) => [model, score / best]);
}

/**
 * A language whose alphabet lacks letters the text has loses this share of its trigram score. franc
 * ranks neighbours read without their diacritics within a percent of each other (Czech read in
 * English: Slovenian 1.000, Czech 0.999, Slovak 0.981; a longer Czech band: Croatian 1.000, Bosnian
 * 0.997, Czech 0.989), though the reading has letters only some of them write (é, which Slovenian and
 * Croatian have not): each close call cost a reading in the wrong neighbour's model. Below CLOSE_SHARE's
 * 5% (auto-language), so a clear trigram winner stays the winner.
 */
const ALPHABET_PENALTY = 0.03;
/**
 * A language that would have written one of the letters English's model writes (é) in a reading as
 * long, but for this chance, where English's model wrote none, loses ALPHABET_PENALTY too: franc ranked a
 * dark-mode screenshot's five lines of English (177 letters, no é) French 1.000, English 0.998, and
 * the page was named French (read in French's model too). French writes é once in 36 letters (its
 * declaration): 163 letters without one happen in one French text in a hundred.
 */
const MISSING_LETTER_CHANCE = 0.01;

/**
 * The letters of a reading by English's model (its letters beyond ASCII, all counted: English's own
 * alphabet is empty), where it wrote none of the accented ones it can; null where it wrote one.
 */
function lettersEnglishNeverWrote(letters: { counts: Map<string, number>; total: number }): number | null {
  return [...ENGLISH_MODEL_LETTERS].some((letter) => letters.counts.has(letter)) ? null : letters.total;
}

/** Whether `model`'s language would almost surely have written one of ENGLISH_MODEL_LETTERS in `letters` letters. */
function wouldHaveWritten(model: string, letters: number): boolean {
  const rate = ENGLISH_MODEL_LETTER_RATES[model];
  return rate !== undefined && (1 - rate) ** letters < MISSING_LETTER_CHANCE;
}

/** Letters outside an alphabet must occur this often, and make this share of the letters, to count. */
const MIN_FOREIGN_LETTERS = 2;
const MIN_FOREIGN_SHARE = 0.01;

/**
 * The text's letters other than a-z (lower case, NFC) that tell alphabets apart: those outside the
 * alphabet of the model that read it. A model writes its own letters for the page's that it lacks
 * (Russian's ъ for Serbian's њ, Arabic's ك for Urdu's ک), so those are no evidence about the page;
 * the English model writing é is.
 */
function lettersBeyondAscii(text: string, readBy: string | undefined): { counts: Map<string, number>; total: number } {
  const all = text.normalize('NFC').toLowerCase().match(/\p{L}/gu) ?? [];
  const own = readBy === undefined ? '' : (ALPHABETS[readBy] ?? '');
  const counts = new Map<string, number>();
  for (const letter of all) if ((letter < 'a' || letter > 'z') && !own.includes(letter)) counts.set(letter, (counts.get(letter) ?? 0) + 1);
  return { counts, total: all.length };
}

/**
 * Whether the model's language (where CLDR lists its alphabet, or `alphabet` where given) lacks
 * enough of the text's letters to count.
 */
function lacksLetters(model: string, letters: { counts: Map<string, number>; total: number }, alphabet = ALPHABETS[model]): boolean {
  if (alphabet === undefined) return false;
  let foreign = 0;
  for (const [letter, count] of letters.counts) if (!alphabet.includes(letter)) foreign += count;
  return foreign >= MIN_FOREIGN_LETTERS && foreign >= letters.total * MIN_FOREIGN_SHARE;
}

/**
 * Whether a script model's reading has letters, enough to count, that `model`'s language lacks
 * (where CLDR lists its alphabet) and that its model never wrote reading the page (`written`): a
 * page in a language whose letters neither English's model nor the decided one's can write.
 */
export function hasLettersUnwritten(text: string, model: string, written: string): boolean {
  const own = (ALPHABETS[model] ?? '') + written.normalize('NFC').toLowerCase();
  return lacksLetters(model, lettersBeyondAscii(text, undefined), own);
}

/** The plausible languages (within 1% of the best) of `scoreTextLanguages`, at most `limit`. */
export async function rankTextLanguages(
  text: string,
  available: readonly LanguageInfo[],
  script: string | undefined,
  limit: number,
): Promise<string[]> {
  const scored = await scoreTextLanguages(text, available, script);
  const top = scored[0]?.[1] ?? 0;
  return scored.filter(([, score]) => score >= top * PLAUSIBLE_SHARE).slice(0, limit).map(([m]) => m);
}
