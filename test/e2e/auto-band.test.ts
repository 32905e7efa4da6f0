import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cropTextBand, EnginePool, findTextLines, listLanguages, recognizePage, resolveTessdataDir, TesseractNativeEngine, type OcrEngine, type RecognizePageOptions } from '@ocr/ocr';
import { cer } from '../support/cer';
import { fixturePath } from '../support/corpus';
import { darkestInRows, declarationExcerpt, renderPage } from '../support/rendered-page';
import { excerptLength, RENDERED_LANGUAGES } from '../support/udhr-languages';

/** The image of a strip cut from a band, a peek or a page (cropStrip). */
const STRIP = /\/strip-[^/]*$/;

/** The image of a band or of a part cut from the page (not the page itself). */
const BAND_OR_PART = /\/(band|part)-[^/]*$/;

interface Read {
  image: string;
  languages: string;
  psm: number;
  /** The reading's words, a space between each. */
  text: string;
}

/**
 * language=auto on a level page of many lines: the band the language is decided on is cut through
 * rows blank across the page, and its reading in the language decided is the middle of the page's
 * reading, so that the band is not read twice.
 */
describe('auto: the band read once', () => {
  const tessdata = resolveTessdataDir({ TESSDATA_DIR: '' });
  const available = listLanguages(tessdata);
  let dir: string;
  let engine: TesseractNativeEngine;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'auto-band-'));
    engine = new TesseractNativeEngine('tesseract', tessdata, { processes: 2, idleMs: 60_000 });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page read with `languages`, and what the engine was asked to read. */
  async function read(path: string, languages: RecognizePageOptions['languages']) {
    const reads: Read[] = [];
    /** OSD's looks: the image, and whether it was a glance. */
    const looks: Array<{ image: string; glance: boolean }> = [];
    const traced: OcrEngine = {
      name: 'traced',
      recognize: async (request) => {
        const page = await engine.recognize(request);
        const text = page.words.map((w) => w.text).join(' ');
        reads.push({ image: request.imagePath, languages: request.languages.join('+'), psm: request.psm ?? 3, text });
        return page;
      },
      detectOrientation: (path, timeoutMs, options) => {
        looks.push({ image: path, glance: options?.glance === true });
        return engine.detectOrientation(path, timeoutMs, options);
      },
      close: async () => {},
    };
    const page = await recognizePage(new EnginePool(async () => traced, 1), path, {
      languages,
      dpi: 300,
      dpiFromFile: false,
      timeoutMs: 60_000,
      workDir: dir,
      available,
      tessdataDir: tessdata,
      recovery: true,
    });
    return { page, reads, looks };
  }

  /** The corpus fixture `stem` read with `languages` given: `autoText` reads it at most half a point worse. */
  async function readsAsWellAsGiven(stem: string, autoText: string, languages: string[], extension = 'png'): Promise<void> {
    const given = await read(fixturePath(`${stem}.${extension}`), languages);
    const truth = readFileSync(fixturePath(`${stem}.gt.txt`), 'utf8');
    assert.ok((await cer(autoText, truth)) <= (await cer(given.page.text, truth)) + 0.005);
  }

  /** A page in `model`'s language: whole (three times the scripts test's text) or small (its text), clean or scanned. */
  async function wholePage(model: string, size: 'whole' | 'small' = 'whole', scanned = false): Promise<{ path: string; truth: string }> {
    const lang = RENDERED_LANGUAGES.find((l) => l.model === model);
    assert.ok(lang);
    const truth = declarationExcerpt(lang.udhr, excerptLength(lang) * (size === 'whole' ? 3 : 1));
    const path = join(dir, `${model}-${size}${scanned ? '-scan.jpg' : '.png'}`);
    writeFileSync(path, await renderPage(truth, lang.font, scanned ? { rtl: lang.rtl, degraded: true, rotate: 0.8, noise: false } : { rtl: lang.rtl }));
    return { path, truth };
  }

  /** A whole page in `model`'s language read with `auto`, which must find that language; the reads in it. */
  async function autoOnWholePage(model: string) {
    const { path, truth } = await wholePage(model);
    const auto = await read(path, 'auto');
    assert.deepEqual(auto.page.languages, [model]);
    return { path, truth, auto, own: auto.reads.filter((r) => r.languages === model) };
  }

  /** `auto`'s text reads within 10% + 0.5 points of the CER with the language given (the issue's bar). */
  async function assertReadsAsGiven(path: string, truth: string, autoText: string, model: string): Promise<void> {
    const given = await read(path, [model]);
    const [autoRate, givenRate] = [await cer(autoText, truth), await cer(given.page.text, truth)];
    assert.ok(autoRate <= givenRate * 1.1 + 0.005, `CER auto ${(autoRate * 100).toFixed(2)}%, given ${(givenRate * 100).toFixed(2)}%`);
  }

  it('cuts the band of a level page through rows blank across it', async () => {
    const { path } = await wholePage('rus');
    const lines = await findTextLines(path);
    const band = await cropTextBand(path, lines, dir);
    assert.ok(band?.rows, 'a band with the rows it was cut at');
    const darkest = await darkestInRows(path, band.rows);
    assert.ok(darkest.every((grey) => grey > 200), `rows ${band.rows.join(', ')}: pixels at ${darkest.join(', ')}`);
    const { height = 0 } = await sharp(band.path).metadata();
    assert.equal(height, band.rows[1] - band.rows[0]);
  });

  it('reads the page above and below the band, and not the band again, as well as with the language given', async () => {
    const { path, truth, auto, own: russian } = await autoOnWholePage('rus');
    // The band as one block, then the two parts with Tesseract's layout; never the whole page.
    assert.deepEqual(
      russian.map((r) => r.psm),
      [6, 3, 3],
    );
    assert.equal(new Set(russian.map((r) => r.image)).size, 3);
    const given = await read(path, ['rus']);
    assert.equal(given.reads.length, 1);
    const [autoRate, givenRate] = [await cer(auto.page.text, truth), await cer(given.page.text, truth)];
    assert.ok(autoRate <= givenRate * 1.1 + 0.005, `CER auto ${(autoRate * 100).toFixed(2)}%, given ${(givenRate * 100).toFixed(2)}%`);
    // The part above, the band, the part below: the page's words in that order, as on the page.
    const [band, above, below] = russian.map((r) => r.text);
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
    assert.equal(flat(auto.page.text), flat(`${above} ${band} ${below}`));
  });

  it('reads the page of a script written without spaces around its band too (Thai)', async () => {
    const { path, truth, auto, own: thai } = await autoOnWholePage('tha');
    // The band, then the parts above and below it with Tesseract's layout; never the whole page.
    assert.ok(
      thai.every((r) => BAND_OR_PART.test(r.image)),
      `only the band and the parts read: ${thai.map((r) => r.image).join(', ')}`,
    );
    assert.equal(thai.filter((r) => r.psm === 3).length, 2);
    await assertReadsAsGiven(path, truth, auto.page.text, 'tha');
  });

  it('reads a Tibetan page whole: a cut through blank rows may part a line from its vowel signs', async () => {
    const { path, truth, auto, own: tibetan } = await autoOnWholePage('bod');
    assert.ok(tibetan.some((r) => r.psm === 3 && !BAND_OR_PART.test(r.image)), `the whole page read: ${JSON.stringify(tibetan.map((r) => r.image))}`);
    await assertReadsAsGiven(path, truth, auto.page.text, 'bod');
  });

  it('reads two lines of a small page in English, not the page, where the page is French', async () => {
    for (const scanned of [false, true]) {
      const { path, truth } = await wholePage('fra', 'small', scanned);
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, ['fra']);
      const english = auto.reads.filter((r) => r.languages === 'eng');
      assert.ok(english.length > 0 && english.every((r) => /\/peek-[^/]*$/.test(r.image)), `English read the peek only: ${JSON.stringify(english.map((r) => r.image))}`);
      // Two lines of the page's six: about a third of its words.
      const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
      const french = auto.reads.filter((r) => r.languages === 'fra');
      assert.equal(french.length, 1, JSON.stringify(french.map((r) => r.image)));
      assert.ok(words(english[0]!.text) < words(french[0]!.text) / 2, `${english[0]!.text} / ${french[0]!.text}`);
      await assertReadsAsGiven(path, truth, auto.page.text, 'fra');
    }
  });

  it('reads a small English page around its peek, which is not read again', async () => {
    const { path, truth } = await wholePage('eng', 'small');
    const auto = await read(path, 'auto');
    assert.deepEqual(auto.page.languages, ['eng']);
    assert.ok(
      auto.reads.every((r) => /\/(peek|part)-[^/]*$/.test(r.image)),
      `the peek and the parts read: ${JSON.stringify(auto.reads.map((r) => r.image))}`,
    );
    assert.deepEqual(
      auto.reads.map((r) => r.psm),
      [6, 3, 3],
    );
    await assertReadsAsGiven(path, truth, auto.page.text, 'eng');
  });

  it("glances at a small page's peek where it has no band, and reads a Khmer page in Khmer after English", async () => {
    const { path, truth } = await wholePage('khm', 'small');
    const auto = await read(path, 'auto');
    assert.deepEqual(auto.page.languages, ['khm']);
    // English reads the peek poorly: Khmer, written without spaces, before the other scripts OSD
    // calls Latin (Armenian, Gujarati); the glance, at the peek, is sure of Latin and no full look follows.
    assert.deepEqual(
      auto.reads.map((r) => r.languages),
      ['eng', 'khm'],
    );
    assert.equal(auto.looks.length, 1, JSON.stringify(auto.looks));
    assert.ok(auto.looks[0]!.glance && /\/peek-[^/]*$/.test(auto.looks[0]!.image), JSON.stringify(auto.looks));
    await assertReadsAsGiven(path, truth, auto.page.text, 'khm');
  });

  it("reads a Georgian page in Georgian first, and Greek, Sinhala and Armenian ones in their models after English, on their lines' shapes, without OSD", async () => {
    for (const [model, before] of [
      ['kat', []],
      ['ell', ['eng']],
      ['sin', ['eng']],
      ['hye', ['eng']],
    ] as const) {
      const { path, truth } = await wholePage(model, 'small');
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, [model]);
      assert.deepEqual(auto.looks, [], model);
      const asked = auto.reads.map((r) => r.languages);
      assert.deepEqual(asked.slice(0, before.length), before, `${model}: ${asked.join(', ')}`);
      assert.ok(asked.slice(before.length).length > 0 && asked.slice(before.length).every((l) => l === model), `${model}: ${asked.join(', ')}`);
      await assertReadsAsGiven(path, truth, auto.page.text, model);
    }
  });

  it('reads a small page of Chinese or Japanese once in its model: the probe of the whole page is its reading', async () => {
    for (const model of ['chi_sim', 'jpn']) {
      const { path, truth } = await wholePage(model, 'small');
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, [model]);
      // Japanese is read first (its kana would settle the page), then the Chinese model; each once.
      const asked = JSON.stringify(auto.reads.map((r) => [r.languages, r.psm]));
      assert.equal(auto.reads.filter((r) => r.languages === model).length, 1, asked);
      assert.equal(auto.reads.length, model === 'jpn' ? 1 : 2, asked);
      await assertReadsAsGiven(path, truth, auto.page.text, model);
    }
  });

  it('probes a small page whole where its band would stand for no rows, and keeps the probe in its own model as its reading (Tamil, Myanmar)', async () => {
    for (const model of ['tam', 'mya']) {
      const { path, truth } = await wholePage(model, 'small');
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, [model]);
      const asked = JSON.stringify(auto.reads.map((r) => [r.languages, r.psm, r.image.split('/').pop()]));
      // No band (its lines touch where a band of four would be cut): English reads the peek, other
      // models the page as one block, and the page's own model reads it once.
      assert.ok(!auto.reads.some((r) => /\/band-[^/]*$/.test(r.image)), asked);
      const own = auto.reads.filter((r) => r.languages === model);
      assert.equal(own.length, 1, asked);
      assert.equal(own[0]!.psm, 6, asked);
      assert.equal(own[0]!.image, auto.reads.find((r) => r.languages !== 'eng')!.image, asked);
      await assertReadsAsGiven(path, truth, auto.page.text, model);
    }
  });

  it("reads a small page's peek in its script's first model where the script has several languages, then the page once in the language decided (Ukrainian, Persian, Marathi)", async () => {
    for (const [model, first] of [
      ['ukr', 'rus'],
      ['fas', 'ara'],
      ['mar', 'hin'],
    ] as const) {
      const { path, truth } = await wholePage(model, 'small');
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, [model]);
      const asked = JSON.stringify(auto.reads.map((r) => [r.languages, r.psm, r.image.split('/').pop()]));
      const byFirst = auto.reads.filter((r) => r.languages === first);
      assert.ok(byFirst.length > 0 && byFirst.every((r) => /\/peek-[^/]*$/.test(r.image)), asked);
      // The page is read in its own language only, once (around the peek, or whole).
      assert.ok(!auto.reads.some((r) => !/\/peek-[^/]*$/.test(r.image) && r.languages !== model), asked);
      await assertReadsAsGiven(path, truth, auto.page.text, model);
    }
  });

  it("reads Gurmukhi's model first on a Gurmukhi page, and no Armenian on a Gujarati page OSD calls Latin: their lines' shapes", async () => {
    for (const [model, notRead] of [
      ['pan', ['hin', 'ben']],
      ['guj', ['hye']],
    ] as const) {
      const { path, truth } = await wholePage(model, 'small');
      const auto = await read(path, 'auto');
      assert.deepEqual(auto.page.languages, [model]);
      const asked = auto.reads.map((r) => r.languages);
      assert.ok(!asked.some((l) => (notRead as readonly string[]).includes(l)), `${model}: ${asked.join(', ')}`);
      assert.equal(asked.filter((l) => l !== 'eng')[0], model, `${model}: ${asked.join(', ')}`);
      await assertReadsAsGiven(path, truth, auto.page.text, model);
    }
  });

  it('reads a part whose layout falls apart again as one column (Korean)', async () => {
    const { truth, auto, own: korean } = await autoOnWholePage('kor');
    assert.ok(
      korean.some((r) => r.psm === 6 && korean.some((s) => s.psm === 3 && s.image === r.image)),
      `a part read with Tesseract's layout, then as one column: ${JSON.stringify(korean)}`,
    );
    const rate = await cer(auto.page.text, truth);
    assert.ok(rate < 0.03, `CER ${(rate * 100).toFixed(1)}%`);
    assert.deepEqual(auto.page.warnings, ['page was read again as a single column (its automatic layout fell apart)']);
  });
  it('takes a table of figures, whose square lines look like Chinese, for Latin from its readings: no OSD, no other script', async () => {
    // Before, OSD (Fraktur, turned) and then every script read its band: 30 band readings, 5 s.
    const path = fixturePath('tables/pubtabnet_PMC4840965_004_00.png');
    const auto = await read(path, 'auto');
    assert.equal(auto.page.detection?.script, 'Latin');
    assert.deepEqual(auto.page.languages, ['eng']);
    assert.deepEqual(auto.looks, [], 'OSD asked');
    // Band readings (after the page's reading, its unsure words stacked are read in Greek's model).
    const probed = auto.reads.filter((r) => r.psm === 6 && !r.image.includes('/words-') && !STRIP.test(r.image)).map((r) => r.languages);
    assert.deepEqual(probed, ['jpn', 'eng']);
    // The Japanese model wrote Latin letters for its signs: Cherokee's and the syllabics' read a
    // strip of the band (0.34 and 0.10), not the band (0.37 and 0.19, 170 ms).
    assert.deepEqual(auto.reads.filter((r) => STRIP.test(r.image)).map((r) => r.languages), ['chr', 'iku']);
    await readsAsWellAsGiven('tables/pubtabnet_PMC4840965_004_00', auto.page.text, ['eng']);
  });
  it("keeps English on a table whose reading franc ranks Occitan first by a few points, the band reading no better in Occitan's model", async () => {
    // franc scored English at 0.966 of Occitan on the page's reading: the page was read again in
    // Occitan (0.5 s) for the same text, and the table came out Occitan.
    const path = fixturePath('tables/pubtabnet_PMC5897438_004_00.png');
    const auto = await read(path, 'auto');
    assert.deepEqual(auto.page.languages, ['eng']);
    const pageReadings = auto.reads.filter((r) => !BAND_OR_PART.test(r.image)).map((r) => r.languages);
    assert.ok(!pageReadings.includes('oci'), `page read in ${pageReadings.join(', ')}`);
    await readsAsWellAsGiven('tables/pubtabnet_PMC5897438_004_00', auto.page.text, ['eng']);
  });
  it("finds Syriac on a single line, too little for OSD, by reading its glance's suggestions to the end", async () => {
    // A glance called it Arabic, the full look named nothing: Latin (Myanmar's 0.47 against English's
    // 0.44) before, 87% CER.
    const path = fixturePath('printed/lines/kraken_000236_syriac.png');
    const auto = await read(path, 'auto');
    assert.equal(auto.page.detection?.script, 'Syriac');
    assert.deepEqual(auto.page.languages, ['syr']);
    // The glance saw as much of the line as a full look would: none follows it.
    assert.deepEqual(auto.looks.map((l) => l.glance), [true]);
    await readsAsWellAsGiven('printed/lines/kraken_000236_syriac', auto.page.text, ['syr']);
  });
  it("reads a line of polytonic Greek in Ancient Greek's model, which franc cannot name, better than with Latin and Ancient Greek given", async () => {
    // Modern Greek's model read it at 26.5% CER, the model the line's commentary gives (lat+grc) 14.7%.
    const stem = 'printed/lines/gt4histcomment_bsb10234118_0010_25';
    const auto = await read(fixturePath(`${stem}.png`), 'auto');
    assert.equal(auto.page.detection?.script, 'Greek');
    assert.deepEqual(auto.page.languages, ['grc']);
    // Its glance named no script; a full look at the line named none either, at the glance's cost.
    assert.deepEqual(auto.looks.map((l) => l.glance), [true]);
    await readsAsWellAsGiven(stem, auto.page.text, ['lat', 'grc']);
  });
  it("reads a line its probe read unsurely as one block with Tesseract's layout too, and keeps the better reading (a polytonic Greek line)", async () => {
    // Ancient Greek's model read it at 0.73 as one block (11.4% CER), 0.88 with the layout (5.7%).
    const stem = 'printed/lines/gt4histcomment_bsb10234118_0010_24';
    const auto = await read(fixturePath(`${stem}.png`), 'auto');
    assert.deepEqual(auto.page.languages, ['grc']);
    assert.deepEqual(
      auto.reads.filter((r) => r.languages === 'grc' && !r.image.includes('/words-')).map((r) => r.psm),
      [6, 3],
    );
    await readsAsWellAsGiven(stem, auto.page.text, ['lat', 'grc']);
  });
  it("reads the Greek word of an English commentary line with Ancient Greek's model beside English's, found among the line's unsure words", async () => {
    // English's model read ἀδολεσχία as "ddoAecyia" (0.57): 20.5% CER, 0.0% with eng+grc given.
    const stem = 'printed/lines/gt4histcomment_cu31924087948174_0040_26';
    const auto = await read(fixturePath(`${stem}.png`), 'auto');
    assert.deepEqual(auto.page.languages, ['eng', 'grc']);
    assert.deepEqual(auto.page.detection?.other_scripts, [{ script: 'Greek', language: 'grc', words: 1 }]);
    assert.match(auto.page.text, /ἀδολεσχία/);
    // Greek's model read the unsure word, cut out, once; the line was read once more, in both models.
    assert.deepEqual(
      auto.reads.filter((r) => r.languages.includes('grc')).map((r) => r.languages),
      ['grc', 'eng+grc'],
    );
    await readsAsWellAsGiven(stem, auto.page.text, ['eng', 'grc']);
  });
  it("reads a French page citing Greek words with Ancient Greek's model too, as well as with both given", async () => {
    const stem = 'printed/expo1878_ethnographie-asie_170';
    const auto = await read(fixturePath(`${stem}.png`), 'auto');
    assert.deepEqual(auto.page.languages, ['fra', 'grc']);
    assert.equal(auto.page.detection?.other_scripts?.[0]?.script, 'Greek');
    assert.match(auto.page.text, /ὄντος/);
    // Its band quotes Greek too: the page is read once, in both models, not in French first.
    assert.deepEqual(
      auto.reads.filter((r) => r.psm === 3).map((r) => r.languages),
      ['fra+grc'],
    );
    await readsAsWellAsGiven(stem, auto.page.text, ['fra', 'grc']);
  });
  it("keeps an English letter in English alone: Greek's model reads none of its unsure words surely", async () => {
    const auto = await read(fixturePath('printed/ehri_EHRI-BF-19380810_EN_01.jpg'), 'auto');
    assert.deepEqual(auto.page.languages, ['eng']);
    assert.equal(auto.page.detection?.other_scripts, undefined);
    // Its unsure words, stacked, were read in Greek's model once; the page was not read in it.
    assert.deepEqual(
      auto.reads.filter((r) => r.languages.includes('grc')).map((r) => r.languages),
      ['grc'],
    );
  });
  it("looks for no second script's words on a receipt read unsurely all over: none of its unsure words is read in Greek's model", async () => {
    // Read at 0.66 in English with 20-60 unsure words (codes, abbreviations, thermal print): their
    // stack cost 200-380 ms in Greek's model for nothing.
    const auto = await read(fixturePath('receipts_forms/softmatic_ikea_08102016_12_13439.jpg'), 'auto');
    assert.equal(auto.page.detection?.script, 'Latin');
    assert.ok(!auto.reads.some((r) => r.languages.includes('grc')), auto.reads.map((r) => r.languages).join(', '));
    assert.equal(auto.page.detection?.other_scripts, undefined);
  });
  it("reads a page of polytonic Greek in Ancient Greek's model, and franc, which knows no Ancient Greek, has it read in no other", async () => {
    // The opening of the Gospel of John (public domain), long enough for franc (40 letters and up).
    const text =
      'Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν, καὶ θεὸς ἦν ὁ λόγος. οὗτος ἦν ἐν ἀρχῇ πρὸς τὸν θεόν. πάντα δι᾽ αὐτοῦ ἐγένετο, καὶ ' +
      'χωρὶς αὐτοῦ ἐγένετο οὐδὲ ἕν ὃ γέγονεν. ἐν αὐτῷ ζωὴ ἦν, καὶ ἡ ζωὴ ἦν τὸ φῶς τῶν ἀνθρώπων· καὶ τὸ φῶς ἐν τῇ σκοτίᾳ φαίνει, καὶ ἡ ' +
      'σκοτία αὐτὸ οὐ κατέλαβεν.';
    const greek = RENDERED_LANGUAGES.find((l) => l.model === 'ell');
    assert.ok(greek);
    const path = join(dir, 'grc.png');
    writeFileSync(path, await renderPage(text, greek.font));
    const auto = await read(path, 'auto');
    assert.deepEqual(auto.page.languages, ['grc']);
    // Modern Greek's model read it once, to decide. franc ranks Modern Greek first on the page's
    // reading, which had the page read again in it before franc was kept from judging a language it
    // does not know.
    assert.equal(auto.reads.filter((r) => r.languages === 'ell').length, 1, auto.reads.map((r) => r.languages).join(', '));
  });
  /** The models that read the page, its band, peek or strips before the page was read in its language. */
  const modelsBefore = (reads: Read[], language: string) => reads.slice(0, reads.findIndex((r) => r.languages === language && !BAND_OR_PART.test(r.image) && !/\/peek-/.test(r.image))).map((r) => r.languages);

  it("decides a Latin hand from its English reading alone, without OSD's glance or another model, and reads it as with its language given", async () => {
    // English reads their bands at 0.38: OSD's looks named Japanese (0.36) or no script, and their
    // suggestions, then the scripts English takes for Latin, were ranked on strips (5-10 more readings).
    for (const hand of ['handwriting/stanford1905_Lettre251.jpg', 'handwriting/stanford1905_SC0033B_s4_b01_f14_i084.jpg']) {
      const { page, reads, looks } = await read(fixturePath(hand), 'auto');
      assert.equal(page.detection?.script, 'Latin', hand);
      assert.deepEqual(page.languages, ['eng'], hand);
      assert.equal(page.detection?.probes, 1, hand);
      assert.deepEqual(modelsBefore(reads, 'eng'), ['eng'], `${hand}: ${reads.map((r) => r.languages).join(', ')}`);
      assert.ok(!reads.some((r) => STRIP.test(r.image)), hand);
      assert.ok(!looks.some((l) => l.glance), hand);
      await readsAsWellAsGiven(hand.replace(/\.jpg$/, ''), page.text, ['eng'], 'jpg');
    }
  });
  it("reads a Latin hand of thin cores in the model its look names first, then decides it from English's reading", async () => {
    // Its cores (0.41) are Arabic's: Arabic's model reads its peek (0.33), then English's (0.35)
    // decides. It had OSD's full look, four of its suggestions read on the page and thirteen
    // scripts ranked on strips (26 readings, 3.7 s more than French given).
    const { page, reads, looks } = await read(fixturePath('handwriting/copiste_wikitexte_0053_2.jpg'), 'auto');
    assert.equal(page.detection?.script, 'Latin');
    assert.equal(page.detection?.probes, 2);
    assert.deepEqual(modelsBefore(reads, page.languages[0] ?? ''), ['ara', 'eng'], reads.map((r) => r.languages).join(', '));
    assert.ok(!looks.some((l) => l.glance));
  });
});
