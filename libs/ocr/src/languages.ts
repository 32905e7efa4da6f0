import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@ocr/domain';
import { LANGUAGE_ALIASES, LANGUAGE_CATALOG } from './language-catalog';

export interface LanguageInfo {
  /** OCR.chat-style code: ISO 639-1 where there is one ('en', 'de'), 'ch' for Simplified Chinese, else Tesseract's. */
  code: string;
  /** The Tesseract model ('eng', 'chi_sim'). */
  tesseract: string;
  name: string;
  script: string;
}

/** Language packages the wasm engine can load without a tessdata directory (npm @tesseract.js-data/*). */
const PACKAGED_WASM_LANGUAGES = ['eng'];

function installedModels(tessdataDir: string | null): Set<string> {
  if (!tessdataDir || !existsSync(tessdataDir)) return new Set(PACKAGED_WASM_LANGUAGES);
  return new Set(
    readdirSync(tessdataDir)
      .filter((f) => f.endsWith('.traineddata'))
      .map((f) => f.slice(0, -'.traineddata'.length)),
  );
}

/** Languages whose model is installed, in catalogue order. */
export function listLanguages(tessdataDir: string | null): LanguageInfo[] {
  const models = installedModels(tessdataDir);
  return LANGUAGE_CATALOG.filter((e) => models.has(e.tesseract)).map((e) => ({ ...e }));
}

/** Script models (Latin, Cyrillic, HanS, ...) installed beside the languages. */
export function listScriptModels(tessdataDir: string | null): string[] {
  return [...installedModels(tessdataDir)].filter((m) => /^[A-Z]/.test(m)).sort();
}

function resolveOne(code: string, available: readonly LanguageInfo[]): string | null {
  const lower = code.toLowerCase();
  const byTesseract = available.find((l) => l.tesseract === code || l.tesseract === lower);
  if (byTesseract) return byTesseract.tesseract;
  const byCode = available.find((l) => l.code.toLowerCase() === lower);
  if (byCode) return byCode.tesseract;
  const alias = LANGUAGE_ALIASES[lower];
  if (alias && available.some((l) => l.tesseract === alias)) return alias;
  return null;
}

/**
 * A client's language field as Tesseract models: 'auto', or codes joined by '+'
 * ('en', 'ch', 'eng', 'en+de', 'chi_sim+eng'). An unknown code is a 400 naming the valid ones.
 */
export function resolveLanguages(input: string, available: readonly LanguageInfo[]): string[] | 'auto' {
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'auto') return 'auto';
  const parts = trimmed.split(/[+,]/).map((p) => p.trim()).filter(Boolean);
  const resolved: string[] = [];
  for (const part of parts) {
    const model = resolveOne(part, available);
    if (!model) {
      const valid = available.map((l) => l.code);
      throw new AppError(
        'invalid_field',
        `unknown language '${part}'; use 'auto' or one of the codes from GET /api/v1/languages/: ${valid.join(', ')}`,
        { field: 'language', valid: ['auto', ...valid] },
      );
    }
    if (!resolved.includes(model)) resolved.push(model);
  }
  if (resolved.length > 8) {
    throw new AppError('invalid_field', 'at most 8 languages can be combined', { field: 'language' });
  }
  return resolved;
}

/** Most likely language model for text in a script, when the text itself cannot tell. */
const SCRIPT_DEFAULT_LANGUAGE: Readonly<Record<string, string>> = {
  Latin: 'eng',
  Cyrillic: 'rus',
  Arabic: 'ara',
  Han: 'chi_sim',
  HanS: 'chi_sim',
  HanT: 'chi_tra',
  Japanese: 'jpn',
  Katakana: 'jpn',
  Hiragana: 'jpn',
  Hangul: 'kor',
  Devanagari: 'hin',
  Greek: 'ell',
  Hebrew: 'heb',
  Thai: 'tha',
  Bengali: 'ben',
  Tamil: 'tam',
  Telugu: 'tel',
  Kannada: 'kan',
  Malayalam: 'mal',
  Gujarati: 'guj',
  Gurmukhi: 'pan',
  Oriya: 'ori',
  Georgian: 'kat',
  Armenian: 'hye',
  Ethiopic: 'amh',
  Khmer: 'khm',
  Lao: 'lao',
  Myanmar: 'mya',
  Sinhala: 'sin',
  Tibetan: 'bod',
  Thaana: 'div',
  Syriac: 'syr',
  Fraktur: 'frk',
  Cherokee: 'chr',
  Canadian_Aboriginal: 'iku',
};

export function defaultLanguageForScript(script: string): string | undefined {
  return SCRIPT_DEFAULT_LANGUAGE[script];
}

/** The script model file for an OSD script name ('Han' is split into HanS/HanT models). */
export function scriptModelFor(script: string, tessdataDir: string | null): string | null {
  const candidates = script === 'Han' ? ['HanS'] : script === 'Katakana' || script === 'Hiragana' ? ['Japanese'] : [script];
  const models = installedModels(tessdataDir);
  return candidates.find((c) => models.has(c)) ?? null;
}

export function tessdataHasModels(tessdataDir: string, models: readonly string[]): boolean {
  return models.every((m) => existsSync(join(tessdataDir, `${m}.traineddata`)));
}
