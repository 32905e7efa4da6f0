import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared corpus sits beside the repository (../shared/corpus); CORPUS_DIR overrides. */
export const CORPUS_DIR = process.env['CORPUS_DIR'] ?? resolve(__dirname, '../../../../shared/corpus');

export function corpusPath(relative: string): string {
  const path = join(CORPUS_DIR, relative);
  if (!existsSync(path)) throw new Error(`corpus file missing: ${path} (set CORPUS_DIR)`);
  return path;
}

export function groundTruth(relative: string): string {
  return readFileSync(corpusPath(relative.replace(/\.[^.]+$/, '.gt.txt')), 'utf8');
}
