import type { BBox } from '@ocr/domain';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab/newline/return, lone
 * surrogates, U+FFFE/U+FFFF). OCR of noisy scans and text layers of odd PDFs do produce them, and
 * one of them makes the whole file unparseable, so they are dropped rather than escaped.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Boxes are whole pixels in both hOCR and our ALTO; rounding keeps x0 <= x1 for any input. */
export function intBox(b: BBox): [number, number, number, number] {
  const x0 = Math.round(b[0]);
  const y0 = Math.round(b[1]);
  return [x0, y0, Math.max(x0, Math.round(b[2])), Math.max(y0, Math.round(b[3]))];
}

/**
 * Tesseract names models `chi_sim`, `srp_latn`, `deu`. XHTML `lang` and ALTO `LANG` need a
 * BCP 47 tag, so the script suffix becomes a script subtag and other suffixes (`vert`, `frak`)
 * are dropped; three-letter ISO 639 codes are valid tags as they are.
 */
export function languageTag(tesseractCode: string | undefined): string | null {
  if (!tesseractCode) return null;
  const [base = '', ...rest] = tesseractCode.toLowerCase().split('_');
  if (!/^[a-z]{2,8}$/.test(base)) return null;
  const scripts: Record<string, string> = { sim: 'Hans', tra: 'Hant', latn: 'Latn', cyrl: 'Cyrl' };
  const script = rest.map((r) => scripts[r]).find((s) => s !== undefined);
  return script ? `${base}-${script}` : base;
}
