// What the table generators (make-alphabets, make-letter-rates) share: the language catalog's rows,
// and writing a generated source file or, with --check, failing where it differs from the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The catalog's rows (model|code|name|script), read from its source so no build is needed. */
export function catalogRows() {
  const catalog = readFileSync(join(ROOT, 'libs/ocr/src/language-catalog.ts'), 'utf8');
  const table = /const TABLE = `([^`]*)`/.exec(catalog)?.[1] ?? '';
  return table.trim().split('\n').map((row) => row.split('|'));
}

/** Writes `source` to `target`, or with --check exits 1 where the file is not `source`. */
export function writeGenerated(target, source, script, summary) {
  if (process.argv.includes('--check')) {
    const same = existsSync(target) && readFileSync(target, 'utf8') === source;
    if (!same) console.error(`${target} is not what ${script} writes: run it`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(target, source);
  console.log(`${target}: ${summary}`);
}
