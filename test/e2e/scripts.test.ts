import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cer } from '../support/cer';
import { submit } from '../support/http';
import { declarationText, renderScannedPage } from '../support/rendered-page';
import { startServer, type TestServer } from '../support/server';

/**
 * Scripts the corpus lacks: the Universal Declaration rendered with Debian's fonts and degraded
 * to look scanned. Each page goes to the service with language=auto; the native CLI reads the
 * same image told the right language. The service must find the language and read within three
 * points of the CLI's character error rate (it has to find the language first).
 */
const SCRIPTS: Array<{ iso: string; model: string; font: string; rtl?: boolean }> = [
  { iso: 'rus', model: 'rus', font: 'DejaVu Serif' },
  { iso: 'ell_monotonic', model: 'ell', font: 'DejaVu Serif' },
  { iso: 'arb', model: 'ara', font: 'Noto Sans Arabic', rtl: true },
  { iso: 'hin', model: 'hin', font: 'Noto Sans Devanagari' },
  { iso: 'cmn_hans', model: 'chi_sim', font: 'Noto Sans CJK SC' },
];

describe('printed pages in other scripts, language=auto against the CLI told the language', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startServer({ OCR_WORKERS: '2' });
    dir = mkdtempSync(join(tmpdir(), 'ocr-scripts-'));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const s of SCRIPTS) {
    it(`${s.model} (${s.font})`, async () => {
      const truth = declarationText(s.iso);
      const page = await renderScannedPage(truth, s.font, s.rtl);
      const path = join(dir, `${s.iso}.jpg`);
      writeFileSync(path, page);
      const cli = execFileSync('tesseract', [path, 'stdout', '-l', s.model], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      const res = await submit(server.baseUrl, { file: path });
      const job = (await res.json()) as { status: string; text: string; detected_languages: string[] };
      assert.equal(job.status, 'done');
      assert.ok(job.detected_languages.includes(s.model), `detected ${job.detected_languages.join('+')}`);
      const [ours, theirs] = [await cer(job.text, truth), await cer(cli, truth)];
      assert.ok(ours <= theirs + 0.03, `CER ${(ours * 100).toFixed(2)}% vs CLI ${(theirs * 100).toFixed(2)}%`);
    });
  }
});
