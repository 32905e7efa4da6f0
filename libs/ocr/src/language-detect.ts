import { detect } from 'tinyld';
import { LANGUAGE_ALIASES } from './language-catalog';
import type { LanguageInfo } from './languages';

/** Fewer letters than this and trigram statistics are guesswork. */
const MIN_LETTERS = 40;

/** The Tesseract model for the language the text is written in, if it can be told and is installed. */
export function detectTextLanguage(text: string, available: readonly LanguageInfo[]): string | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  const iso = detect(text);
  if (!iso) return null;
  const byCode = available.find((l) => l.code === iso);
  if (byCode) return byCode.tesseract;
  const alias = LANGUAGE_ALIASES[iso];
  return alias && available.some((l) => l.tesseract === alias) ? alias : null;
}
