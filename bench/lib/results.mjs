// bench/RESULTS.md is shared by every benchmark: each one replaces only the sections it owns.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RESULTS = join(resolve(new URL('.', import.meta.url).pathname, '../..'), 'bench/RESULTS.md');

/** Splits Markdown into its preamble and `## ` sections (each with its heading line). */
function sections(text) {
  const parts = text.split(/\n(?=## )/);
  return { preamble: parts[0].startsWith('## ') ? '' : parts.shift(), sections: parts.filter((p) => p.startsWith('## ')) };
}

/**
 * Writes `markdown` (one or more `## ` sections, optionally after a preamble) into RESULTS.md: the
 * sections with the same headings are replaced where the first of them stood, others are kept, and
 * new ones are appended. A preamble in `markdown` replaces the file's own.
 */
export function writeResults(markdown) {
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const mine = sections(markdown.trim());
  const theirs = sections(current.trim());
  const heading = (s) => s.split('\n', 1)[0].trim();
  const owned = new Set(mine.sections.map(heading));
  const kept = [];
  let inserted = false;
  for (const s of theirs.sections) {
    if (!owned.has(heading(s))) kept.push(s.trimEnd());
    else if (!inserted) {
      kept.push(...mine.sections.map((m) => m.trimEnd()));
      inserted = true;
    }
  }
  if (!inserted) kept.push(...mine.sections.map((m) => m.trimEnd()));
  const preamble = (mine.preamble?.trim() ? mine.preamble : theirs.preamble).trimEnd();
  writeFileSync(RESULTS, `${[preamble, ...kept].join('\n\n')}\n`);
}
