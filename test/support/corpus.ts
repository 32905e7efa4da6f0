import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Tests read documents from test/fixtures: copies of the few files of the shared corpus they use,
 * committed with the repository so the suite runs from a clone (sources and licences in
 * test/fixtures/LICENSES.md). Only the benchmarks read the full corpus (../shared/corpus or
 * CORPUS_DIR). A test names a fixture by its corpus-relative path as a string literal, e.g.
 * `fixturePath('printed/tess_phototest.tif')`, so test/unit/fixtures.test.ts can check it is here.
 */
export const FIXTURES_DIR = resolve(__dirname, '../../fixtures');

export function fixturePath(relative: string): string {
  const path = join(FIXTURES_DIR, relative);
  if (!existsSync(path)) {
    throw new Error(
      `test fixture missing: ${path}. Copy it from ../shared/corpus/${relative} to test/fixtures/${relative} ` +
        'and list it in test/fixtures/LICENSES.md',
    );
  }
  return path;
}

/** The same as fixturePath: the name the existing tests use. */
export const corpusPath = fixturePath;

/** The ground truth beside a fixture (`X.gt.txt` for `X.ext`). */
export function groundTruth(relative: string): string {
  return readFileSync(fixturePath(relative.replace(/\.[^.]+$/, '.gt.txt')), 'utf8');
}
