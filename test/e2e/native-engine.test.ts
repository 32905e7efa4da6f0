import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DocumentError } from '@ocr/domain';
import { EnginePool, resolveTessdataDir, TesseractNativeEngine, type RecognizeRequest } from '@ocr/ocr';
import { corpusPath } from '../support/corpus';
import { declarationExcerpt, renderPage } from '../support/rendered-page';

/**
 * The native engine keeps its Tesseract processes warm. A wrapper binary records every process
 * started (its pid, as `exec` keeps it), so the tests see which calls started one and which
 * processes are still running.
 */
describe('the native engine with warm Tesseract processes', () => {
  let dir: string;
  let bin: string;
  let english: string;
  let thai: string;
  let sideways: string;
  const tessdata = resolveTessdataDir({ TESSDATA_DIR: '' });

  const started = (): number[] =>
    readFileSync(join(dir, 'started'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  const running = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** Processes end on their own time after a kill or the end of their input: waits for it. */
  const ended = async (pids: number[]): Promise<boolean> => {
    for (let i = 0; i < 100 && pids.some(running); i++) await new Promise((r) => setTimeout(r, 50));
    return !pids.some(running);
  };
  const read = (imagePath: string, extra: Partial<RecognizeRequest> = {}): RecognizeRequest => ({
    imagePath,
    languages: ['eng'],
    timeoutMs: 60_000,
    ...extra,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'native-engine-'));
    bin = join(dir, 'tesseract');
    writeFileSync(join(dir, 'started'), '');
    writeFileSync(bin, `#!/bin/sh\necho $$ >> '${join(dir, 'started')}'\nexec tesseract "$@"\n`);
    chmodSync(bin, 0o755);
    english = join(dir, 'english.png');
    writeFileSync(english, await renderPage(declarationExcerpt('eng', 300), 'DejaVu Serif'));
    thai = join(dir, 'thai.png');
    writeFileSync(thai, await renderPage(declarationExcerpt('tha', 200), 'Noto Sans Thai'));
    sideways = corpusPath('printed/tess_phototest-rotated-L.png');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every page, its spacing and its orientation exactly as one process per call does', async () => {
    const cold = new TesseractNativeEngine(bin, tessdata);
    const warm = new TesseractNativeEngine(bin, tessdata, { processes: 8, idleMs: 60_000 });
    try {
      const requests = [
        read(english),
        read(thai, { languages: ['tha'] }),
        read(corpusPath('printed/ehri_EHRI-BF-19380810_EN_01.jpg')),
        read(english, { psm: 6, spacing: false }),
        read(english, { variables: { thresholding_method: '1' } }),
        read(thai, { languages: ['tha'] }),
      ];
      for (const request of requests) {
        const [once, kept] = [await cold.recognize(request), await warm.recognize(request)];
        assert.ok(once.words.length > 20, `${request.imagePath} read`);
        assert.deepEqual(kept, once);
      }
      // Thai's words carry the page's own spacing from the plain text (most clusters have none).
      const thaiWords = (await warm.recognize(read(thai, { languages: ['tha'] }))).words;
      assert.ok(thaiWords.some((w) => w.spaceBefore === false) && thaiWords.some((w) => w.spaceBefore === true));
      for (const image of [sideways, english, sideways]) {
        for (const options of [{}, { glance: true }]) {
          assert.deepEqual(await warm.detectOrientation(image, 60_000, options), await cold.detectOrientation(image, 60_000, options));
        }
      }
      assert.equal((await warm.detectOrientation(sideways, 60_000)).rotate, 90);
      // A glance classifies fewer characters: the same angle on a clear page, a different confidence.
      const glance = await warm.detectOrientation(sideways, 60_000, { glance: true });
      assert.equal(glance.rotate, 90);
      assert.notDeepEqual(glance, await warm.detectOrientation(sideways, 60_000));
    } finally {
      await Promise.all([cold.close(), warm.close()]);
    }
  });

  it('starts one process per set of settings and keeps it for the next pages', async () => {
    const engine = new TesseractNativeEngine(bin, tessdata, { processes: 8, idleMs: 60_000 });
    const before = started().length;
    try {
      await engine.recognize(read(english));
      await engine.recognize(read(corpusPath('printed/ehri_EHRI-BF-19380810_EN_01.jpg')));
      await engine.recognize(read(english));
      assert.equal(started().length - before, 1, 'three pages, one process');
      await engine.recognize(read(english, { psm: 6 }));
      await engine.detectOrientation(sideways, 60_000);
      await engine.detectOrientation(english, 60_000);
      assert.equal(started().length - before, 3, 'a layout mode and orientation detection have their own');
      await engine.detectOrientation(english, 60_000, { glance: true });
      await engine.detectOrientation(sideways, 60_000, { glance: true });
      assert.equal(started().length - before, 4, 'and a glance');
    } finally {
      await engine.close();
    }
    // At once: a service that stops awaits close() and must leave no process behind it.
    assert.deepEqual(started().slice(before).filter(running), [], 'close() has ended them when it settles');
  });

  it('ends a reading over its time, and the next reading starts afresh', async () => {
    const engine = new TesseractNativeEngine(bin, tessdata, { processes: 8, idleMs: 60_000 });
    try {
      const before = started().length;
      await assert.rejects(
        engine.recognize(read(corpusPath('printed/ehri_EHRI-BF-19380810_EN_01.jpg'), { timeoutMs: 50 })),
        (e: unknown) => e instanceof DocumentError && /page recognition timed out/.test(e.message),
      );
      assert.ok(await ended(started().slice(before)), 'the process over its time is killed');
      const page = await engine.recognize(read(english));
      assert.ok(page.words.some((w) => w.text === 'Whereas'));
      assert.equal(started().length - before, 2);
    } finally {
      await engine.close();
    }
  });

  it('an image Tesseract cannot read fails its page only; OSD without enough text is no orientation', async () => {
    const engine = new TesseractNativeEngine(bin, tessdata, { processes: 8, idleMs: 60_000 });
    const broken = join(dir, 'broken.png');
    writeFileSync(broken, Buffer.from('\x89PNG\r\n\x1a\n this is not an image'));
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: '#ffffff' } }).png().toFile(blank);
    try {
      await engine.recognize(read(english));
      await assert.rejects(engine.recognize(read(broken)), (e: unknown) => e instanceof DocumentError && /could not read the page/.test(e.message));
      assert.ok((await engine.recognize(read(english))).words.length > 20);
      // A page without text has no plain text either: the end mark follows its form feed directly.
      assert.equal((await engine.recognize(read(blank))).words.length, 0);
      assert.ok((await engine.recognize(read(english))).words.length > 20);
      assert.deepEqual(await engine.detectOrientation(blank, 60_000), { rotate: 0, orientationConfidence: 0, script: 'Latin', scriptConfidence: 0 });
      assert.equal((await engine.detectOrientation(sideways, 60_000)).rotate, 90);
    } finally {
      await engine.close();
    }
  });

  it('keeps at most OCR_WARM_PROCESSES, ends the least recently used first, and idle ones in time', async () => {
    const engine = new TesseractNativeEngine(bin, tessdata, { processes: 2, idleMs: 1_500 });
    try {
      const before = started().length;
      await engine.recognize(read(english, { psm: 3 }));
      await engine.recognize(read(english, { psm: 4 }));
      await engine.recognize(read(english, { psm: 3 }));
      await engine.recognize(read(english, { psm: 6 }));
      const [psm3, psm4, psm6] = started().slice(before);
      assert.ok(psm3 && psm4 && psm6);
      assert.ok(await ended([psm4]), 'psm 4, the least recently used, made room');
      assert.ok(running(psm3) && running(psm6));
      await new Promise((r) => setTimeout(r, 2_000));
      assert.ok(await ended([psm3, psm6]), 'unused for OCR_WARM_IDLE_SECONDS, they end');
    } finally {
      await engine.close();
    }
  });

  it("a pool closed while a page reads ends that engine's processes when the page is done", async () => {
    const before = started().length;
    const pool = new EnginePool(async () => new TesseractNativeEngine(bin, tessdata, { processes: 8, idleMs: 60_000 }), 1);
    let closing: Promise<void> | null = null;
    await pool.run(async (engine) => {
      await engine.recognize(read(english));
      closing = pool.close();
      await engine.recognize(read(english, { psm: 6 }));
    });
    await closing;
    const pids = started().slice(before);
    assert.equal(pids.length, 2);
    assert.ok(await ended(pids));
  });
});
