import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS_DIR = process.env.CORPUS_DIR ?? resolve(new URL('.', import.meta.url).pathname, '../../../shared/corpus');

/** Manifest rows of the kinds the cpu tier is for: printed pages and scanned PDFs. */
export function corpusDocuments(kinds = ['printed', 'pdf-scan']) {
  const manifest = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const header = manifest[0].split('\t');
  return manifest
    .slice(1)
    .map((line) => Object.fromEntries(line.split('\t').map((v, i) => [header[i], v])))
    .filter((row) => kinds.includes(row.kind))
    .map((row) => ({
      path: join(CORPUS_DIR, row.path),
      name: row.path,
      kind: row.kind,
      pages: Number(row.pages),
      // Inline Devanagari/Persian words on a French page are not worth a model each.
      languages: row.language.replace('+san+fas', ''),
      truth: readFileSync(join(CORPUS_DIR, row.path.replace(/\.[^.]+$/, '.gt.txt')), 'utf8'),
    }))
    .filter((d) => existsSync(d.path));
}
