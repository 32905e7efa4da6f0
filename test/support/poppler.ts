import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes bytes to a fresh temporary file and returns its path. */
export function tempFile(name: string, bytes: Buffer | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ocr-export-')), name);
  writeFileSync(path, bytes);
  return path;
}

/**
 * `pdftotext` of one page (1-based). `raw` keeps the text in content-stream order (what the text
 * layer says) instead of pdftotext's own guess at the reading order.
 */
export function pdfPageText(path: string, page: number, raw = false): string {
  const args = [...(raw ? ['-raw'] : []), '-f', String(page), '-l', String(page), '-enc', 'UTF-8', path, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8' });
}

export function pdfPageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

export interface PdfWord {
  text: string;
  /** Points, on the page as displayed (its /Rotate applied), y down. */
  box: [number, number, number, number];
}

/** Words of one page with their boxes, from `pdftotext -bbox`. */
export function pdfPageWords(path: string, page: number): PdfWord[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  const words: PdfWord[] = [];
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const text = (m[5] ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    words.push({ text, box: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] });
  }
  return words;
}

/** Collapses whitespace so texts compare on their characters and word breaks only. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
