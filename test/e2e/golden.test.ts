import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableFormats } from '@ocr/export';
import { startServer, type TestServer } from '../support/server';

/**
 * Every registered format of a few corpus documents, compared with test/golden/<stem>/<format>.
 * The list of documents and the normalisation live in scripts/update-goldens.mjs (`make golden`),
 * which writes the files this test reads, so both always normalise the same way.
 */
interface GoldenModule {
  GOLDEN_DIR: string;
  GOLDEN_DOCS: Array<{ file: string; fields: Record<string, string> }>;
  stemOf(file: string): string;
  goldenExports(baseUrl: string, doc: { file: string; fields: Record<string, string> }, formats: string[]): Promise<Record<string, string>>;
}

const SCRIPT = pathToFileURL(resolve(__dirname, '../../../scripts/update-goldens.mjs')).href;

/** The first line where two texts part, to say more than "differs" about a 500 kB file. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}:\n  golden: ${JSON.stringify(e[i] ?? '<end>')}\n  now:    ${JSON.stringify(a[i] ?? '<end>')}`;
  }
  return 'identical';
}

// The document list is only known once the script module is loaded, so the documents are subtests
// of one test, which also owns the server (a suite's hooks would not wait for tests added late).
it('exports every registered format of the golden documents as in test/golden', async (t) => {
  const golden = (await import(SCRIPT)) as GoldenModule;
  const registered = availableFormats();
  const server: TestServer = await startServer({ OCR_WORKERS: '2' });
  try {
    for (const doc of golden.GOLDEN_DOCS) {
      const dir = join(golden.GOLDEN_DIR, golden.stemOf(doc.file));
      const stored = existsSync(dir) ? readdirSync(dir) : [];
      await t.test(doc.file, async (t) => {
        const now = await golden.goldenExports(server.baseUrl, doc, registered);
        for (const format of [...new Set([...registered, ...stored])].sort()) {
          // A golden of a format this build does not register (it lands on another branch) is skipped;
          // a registered format without a golden fails: run `make golden`.
          const skip = registered.includes(format) ? false : 'format not registered in this build';
          await t.test(format, { skip }, () => {
            assert.ok(stored.includes(format), `no golden for ${format}: run \`make golden\` and review the new file`);
            const expected = readFileSync(join(dir, format), 'utf8');
            const actual = now[format] ?? '';
            assert.ok(
              actual === expected,
              `${doc.file} ${format} differs from its golden at ${firstDifference(actual, expected)}\nIf the change is intended, run \`make golden\` and commit the diff.`,
            );
          });
        }
      });
    }
  } finally {
    await server.stop();
  }
});
