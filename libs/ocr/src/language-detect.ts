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
  francPromise ??= import('franc').then((m) => m.francAll as FrancAll);
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
 */
export async function scoreTextLanguages(
  text: string,
  available: readonly LanguageInfo[],
  script: string | undefined,
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
  for (const [iso, score] of ranked) {
    const model = candidates.get(iso);
    if (model && !out.some(([m]) => m === model)) out.push([model, score]);
  }
  return out;
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
