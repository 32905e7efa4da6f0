import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { FIXTURES_DIR } from '../support/corpus';

/**
 * The suite runs from a clone: every corpus document a test names must be committed in
 * test/fixtures and credited in test/fixtures/LICENSES.md. This reads the test sources (not the
 * compiled output) for corpus-relative paths in string literals, so a new test that names a file
 * nobody copied fails here, with the file's name, rather than on a contributor's machine.
 */
const REPO = resolve(__dirname, '../../..');
const CORPUS_FILE = /['"`]((?:printed|pdf|tables|handwriting|receipts_forms|math)\/[^'"`\s]+\.(?:tiff?|png|jpe?g|pdf|webp|gif|bmp))['"`]/g;
/** Fixtures are copies for tests, not a second corpus: a bound that makes growth a decision. */
const MAX_FIXTURE_BYTES = 12 * 1024 * 1024;

function files(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'dist' || name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(path).isDirectory()) files(path, keep, out);
    else if (keep(name)) out.push(path);
  }
  return out;
}

function referencedFixtures(): Map<string, string[]> {
  const sources = [
    ...files(join(REPO, 'test'), (n) => n.endsWith('.ts') || n.endsWith('.mjs')),
    join(REPO, 'scripts/update-goldens.mjs'),
  ];
  const refs = new Map<string, string[]>();
  for (const source of sources) {
    for (const match of readFileSync(source, 'utf8').matchAll(CORPUS_FILE)) {
      const file = match[1] as string;
      refs.set(file, [...(refs.get(file) ?? []), relative(REPO, source)]);
    }
  }
  return refs;
}

describe('test fixtures', () => {
  const refs = referencedFixtures();
  const licences = readFileSync(join(FIXTURES_DIR, 'LICENSES.md'), 'utf8');

  it('finds the corpus files the tests name', () => {
    assert.ok(refs.has('printed/tess_phototest.tif'), 'the scan of test sources found nothing: the pattern is broken');
  });

  it('has every corpus file a test names, credited in LICENSES.md', () => {
    const missing = [...refs].filter(([file]) => !existsSync(join(FIXTURES_DIR, file)));
    assert.deepEqual(
      missing.map(([file, by]) => `${file} (named by ${by.join(', ')})`),
      [],
      'copy these from ../shared/corpus to test/fixtures/ (same relative path) and list them in test/fixtures/LICENSES.md',
    );
    const uncredited = [...refs.keys()].filter((file) => !licences.includes(`\`${file}\``));
    assert.deepEqual(uncredited, [], 'add a row (source, path in source, licence) to test/fixtures/LICENSES.md');
  });

  it('holds only credited documents, and stays small', () => {
    const all = files(FIXTURES_DIR, (n) => n !== 'LICENSES.md');
    const documents = all.map((p) => relative(FIXTURES_DIR, p)).filter((f) => !/\.gt\.[a-z]+$/.test(f));
    assert.deepEqual(documents.filter((f) => !licences.includes(`\`${f}\``)), [], 'fixtures without a LICENSES.md row');
    const bytes = all.reduce((sum, p) => sum + statSync(p).size, 0);
    assert.ok(bytes <= MAX_FIXTURE_BYTES, `test/fixtures holds ${bytes} bytes, over ${MAX_FIXTURE_BYTES}`);
  });
});
