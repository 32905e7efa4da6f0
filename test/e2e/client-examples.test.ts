import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusPath } from '../support/corpus';
import { startServer, type TestServer } from '../support/server';

const EXAMPLES = resolve(__dirname, '../../clients');

describe('the original page client examples, unchanged but for base URL and token', () => {
  let server: TestServer;
  let token: string;
  let dir: string;

  /** The example's text with only the base URL and the token replaced. */
  function example(name: string, extra: Record<string, string> = {}): string {
    let text = readFileSync(join(EXAMPLES, name), 'utf8')
      .replaceAll('https://ocr.chat', server.baseUrl)
      .replaceAll('YOUR_API_TOKEN', token);
    for (const [from, to] of Object.entries(extra)) text = text.replaceAll(from, to);
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  before(async () => {
    server = await startServer({ VLM_FALLBACK_TO_CPU: 'true' });
    token = server.makeToken('examples');
    dir = mkdtempSync(join(tmpdir(), 'ocr-examples-'));
    copyFileSync(corpusPath('pdf/ocrmypdf_linn.pdf'), join(dir, 'invoice.pdf'));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the Python requests example', () => {
    const out = execFileSync('python3', [example('example.py')], { cwd: dir }).toString();
    assert.match(out, /LinnSequencer/i);
    // A real Word file (a zip with the document part), not an error body saved under that name.
    const docx = readFileSync(join(dir, 'result.docx'));
    assert.equal(docx.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(docx.includes(Buffer.from('word/document.xml')));
  });

  it('runs the Node fetch example', () => {
    const out = execFileSync(process.execPath, [example('example.mjs')], { cwd: dir }).toString();
    assert.match(out, /LinnSequencer/i);
  });

  it('runs the three cURL steps', () => {
    const submitted = JSON.parse(execFileSync('bash', [example('example-submit.sh')], { cwd: dir }).toString()) as { uuid: string; status: string };
    assert.equal(submitted.status, 'done');
    const polled = JSON.parse(execFileSync('bash', [example('example-poll.sh', { UUID: submitted.uuid })], { cwd: dir }).toString()) as {
      uuid: string;
      warnings: string[];
    };
    assert.equal(polled.uuid, submitted.uuid);
    assert.match(polled.warnings.join(' '), /cpu tier/);
    execFileSync('bash', [example('example-download.sh', { UUID: submitted.uuid })], { cwd: dir, stdio: 'ignore' });
    assert.match(readFileSync(join(dir, 'result.md'), 'utf8'), /LinnSequencer/i);
  });
});
