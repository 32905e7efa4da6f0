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

type Franc = (text: string, options: { only?: string[]; minLength?: number }) => string;
let francPromise: Promise<Franc> | null = null;

/** franc is an ES module; loaded once, on first use. */
function loadFranc(): Promise<Franc> {
  francPromise ??= import('franc').then((m) => m.franc as Franc);
  return francPromise;
}

/**
 * The Tesseract model for the language the text is written in, among the installed ones, or
 * null when it cannot be told. franc (trigrams, ISO 639-3) told Slovak from Czech and Polish on the
 * corpus where tinyld did not.
 */
export async function detectTextLanguage(
  text: string,
  available: readonly LanguageInfo[],
  script?: string,
): Promise<string | null> {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  // Text read in one script is only evidence for languages written in it (Czech read without its
  // diacritics looks like Serbian, whose model is Cyrillic).
  const installed = new Set(available.filter((l) => !script || l.script === script).map((l) => l.tesseract));
  const candidates = new Map<string, string>();
  for (const model of installed) if (/^[a-z]{3}$/.test(model)) candidates.set(model, model);
  for (const [iso, model] of Object.entries(ISO3_TO_TESSERACT)) if (installed.has(model)) candidates.set(iso, model);
  const franc = await loadFranc();
  const iso = franc(text, { only: [...candidates.keys()], minLength: MIN_LETTERS });
  return candidates.get(iso) ?? null;
}
