/**
 * Scripts as the service names them (Tesseract's script model names, OSD's names folded into
 * them), with the Unicode script of their letters: a reading's characters show which script a
 * model actually recognised, where OSD alone is weak.
 */
const UNICODE: Readonly<Record<string, RegExp>> = {
  Latin: /\p{Script=Latin}/u,
  Han: /\p{Script=Han}/u,
  Arabic: /\p{Script=Arabic}/u,
  Devanagari: /\p{Script=Devanagari}/u,
  Cyrillic: /\p{Script=Cyrillic}/u,
  Bengali: /\p{Script=Bengali}/u,
  Japanese: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u,
  Hangul: /[\p{Script=Hangul}\p{Script=Han}]/u,
  Telugu: /\p{Script=Telugu}/u,
  Tamil: /\p{Script=Tamil}/u,
  Gujarati: /\p{Script=Gujarati}/u,
  Kannada: /\p{Script=Kannada}/u,
  Malayalam: /\p{Script=Malayalam}/u,
  Thai: /\p{Script=Thai}/u,
  Gurmukhi: /\p{Script=Gurmukhi}/u,
  Myanmar: /\p{Script=Myanmar}/u,
  Oriya: /\p{Script=Oriya}/u,
  Ethiopic: /\p{Script=Ethiopic}/u,
  Sinhala: /\p{Script=Sinhala}/u,
  Khmer: /\p{Script=Khmer}/u,
  Greek: /\p{Script=Greek}/u,
  Hebrew: /\p{Script=Hebrew}/u,
  Lao: /\p{Script=Lao}/u,
  Georgian: /\p{Script=Georgian}/u,
  Armenian: /\p{Script=Armenian}/u,
  Tibetan: /\p{Script=Tibetan}/u,
  Thaana: /\p{Script=Thaana}/u,
  Syriac: /\p{Script=Syriac}/u,
  Cherokee: /\p{Script=Cherokee}/u,
  Canadian_Aboriginal: /\p{Script=Canadian_Aboriginal}/u,
};

/**
 * Every script the service can detect, in the order all are tried when OSD's suggestions read
 * poorly: by how many people write them, so that a page costs the fewest readings on average.
 */
export const SCRIPTS: readonly string[] = Object.keys(UNICODE);

/** OSD's names where they differ from the script models' ('Korean' is read by the Hangul model). */
export function normalizeScriptName(name: string): string {
  if (name === 'Korean') return 'Hangul';
  if (name === 'Katakana' || name === 'Hiragana') return 'Japanese';
  if (name === 'HanS' || name === 'HanT') return 'Han';
  return name;
}

/**
 * Scripts OSD names in place of others (measured on rendered declarations: Georgian as Malayalam,
 * Armenian, Gujarati and Khmer as Latin, Sinhala as Hebrew, Kannada or Latin (at confidences
 * below 1.5), Lao as Thai, Myanmar and Ethiopic as Arabic, Tibetan as Cyrillic, Gurmukhi as
 * Devanagari, Korean with no confidence; Syriac, which it has no model for, as Hebrew or, unsure,
 * Japanese). Each list is read in order until a script reads clearly:
 * the scripts OSD was measured to confuse come before those it might (Greek, Cyrillic, Georgian
 * and Cherokee were never named Latin on those pages; a degraded Sinhala page read them all first).
 */
const CONFUSED_WITH: Readonly<Record<string, readonly string[]>> = {
  Latin: ['Armenian', 'Gujarati', 'Khmer', 'Sinhala', 'Greek', 'Cyrillic', 'Georgian', 'Cherokee'],
  Greek: ['Latin', 'Cyrillic'],
  Cyrillic: ['Tibetan', 'Greek', 'Latin'],
  Tibetan: ['Cyrillic'],
  Malayalam: ['Georgian'],
  Georgian: ['Malayalam'],
  Devanagari: ['Gurmukhi', 'Bengali', 'Thaana'],
  Gurmukhi: ['Devanagari'],
  Bengali: ['Devanagari'],
  Kannada: ['Sinhala'],
  Hebrew: ['Sinhala', 'Syriac', 'Thaana'],
  Thai: ['Lao', 'Khmer', 'Myanmar'],
  Lao: ['Thai', 'Khmer'],
  // A glance calls Syriac pages Arabic, unsure: its model before Thaana's (Ethiopic's comes last
  // there, its square shape contradicted by Syriac's lines).
  Arabic: ['Myanmar', 'Ethiopic', 'Syriac', 'Thaana'],
  Ethiopic: ['Myanmar'],
  Han: ['Japanese', 'Hangul'],
  Japanese: ['Han', 'Hangul', 'Syriac'],
  Hangul: ['Japanese', 'Han'],
};

/** Scripts to try, in order, when OSD names `osdScript` (empty when OSD found none). */
export function candidateScripts(osdScript: string | null): string[] {
  const first = osdScript ? normalizeScriptName(osdScript) : null;
  if (!first) return ['Hangul', 'Han', 'Japanese'];
  return [first, ...(CONFUSED_WITH[first] ?? [])].filter((s, i, all) => SCRIPTS.includes(s) && all.indexOf(s) === i);
}

/** The letters of `text` in `script` (none where the script has no pattern). */
export function scriptLetters(text: string, script: string): string[] {
  const pattern = UNICODE[script];
  return pattern ? [...text].filter((ch) => /\p{L}/u.test(ch) && pattern.test(ch)) : [];
}

/** Share of the text's letters (and CJK ideographs) written in `script`; 0 without letters. */
export function scriptShare(text: string, script: string): number {
  const pattern = UNICODE[script];
  if (!pattern) return 0;
  let letters = 0;
  let inScript = 0;
  for (const ch of text) {
    if (!/[\p{L}\p{M}]/u.test(ch) || /\p{Script=Inherited}/u.test(ch)) continue;
    letters++;
    if (pattern.test(ch)) inScript++;
  }
  return letters === 0 ? 0 : inScript / letters;
}

/** Share of kana among the text's letters: Japanese has it, Chinese does not. */
export function kanaShare(text: string): number {
  let letters = 0;
  let kana = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch)) kana++;
  }
  return letters === 0 ? 0 : kana / letters;
}

/** Scripts written without spaces between words (a space on the page is a phrase break). */
export const UNSPACED_SCRIPTS: readonly string[] = ['Han', 'Japanese', 'Thai', 'Lao', 'Khmer', 'Myanmar', 'Tibetan'];
