import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Word } from '@ocr/domain';
import { buildBlocks, joinLines, joinWords, renderMarkdown, type RawWord } from '@ocr/layout';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { darkestInRows, declarationExcerpt, renderPage, renderScannedPage } from '../support/rendered-page';
import { excerptLength, RENDERED_LANGUAGES } from '../support/udhr-languages';
import { BLANK_SURVEY, engineResolution, candidateScripts, namesNoLanguage, scoreTextLanguages, countTextLines, cropPeek, smallPage, cropTextBand, decideLanguage, findTextLines, hanForms, inkedRuns, kanaShare, leanTessdata, listLanguages, markSpacing, scriptModelNames, normalizeScriptName, scriptShare, surveyPage, isBilevel, handwrittenLatin, latinUnlikely, scriptsByLook, scriptsUnlike, pageThumbnail, surveyThumbnail, turnThumbnail, type Probe } from '@ocr/ocr';
import { fixturePath } from '../support/corpus';
import { detectTables } from '@ocr/tables';

const available = listLanguages('/usr/share/tesseract-ocr/5/tessdata');

function raw(text: string, x: number, spaceBefore?: boolean): RawWord {
  return { text, bbox: [x, 0, x + 10, 20], confidence: 0.9, block: 1, par: 1, line: 1, ...(spaceBefore === undefined ? {} : { spaceBefore }) };
}

describe('spacing of unspaced scripts', () => {
  it('keeps the engine text spacing: Korean words split into syllables, Thai split into characters', () => {
    // Tesseract's TSV gives '구', '성', '원', '의' for one word; its text says where spaces are.
    const korean = ['모든', '인류', '구', '성', '원', '의'].map((t, i) => raw(t, i * 20));
    const marked = markSpacing(korean, '모든 인류 구성원의\n');
    assert.equal(buildBlocks(marked)[0]?.text, '모든 인류 구성원의');
    const thai = ['โด', 'ย', 'ท', 'ี', '่', 'การ', 'และ'].map((t, i) => raw(t, i * 20));
    assert.equal(buildBlocks(markSpacing(thai, 'โดยที่การ และ\n'))[0]?.text, 'โดยที่การ และ');
  });

  it('marks nothing when the text and the words disagree, and joins unspaced scripts without spaces then', () => {
    const words = [raw('ab', 0), raw('cd', 20)];
    assert.deepEqual(markSpacing(words, 'ab xd'), words);
    assert.equal(joinWords(['โดย', 'ที่', 'การ']), 'โดยที่การ');
    assert.equal(joinWords(['ដោយ', 'យល់']), 'ដោយយល់');
    assert.equal(joinWords(['人類', '社会の']), '人類社会の');
    assert.equal(joinWords(['Hello', 'world']), 'Hello world');
    // A combining mark read as a word of its own belongs to the letter before it.
    assert.equal(joinWords(['ท', '\u0e35', 'x']), 'ท\u0e35 x');
  });

  it('joins wrapped lines of unspaced scripts without a space in Markdown', () => {
    assert.equal(joinLines(['โดยที่การยอมรับ', 'นับถือเกียรติ']), 'โดยที่การยอมรับนับถือเกียรติ');
    assert.equal(joinLines(['모든 인류', '구성원의']), '모든 인류 구성원의');
    const blocks = buildBlocks([raw('ဒီ', 0, true), raw('စာ', 20, false)]);
    assert.equal(renderMarkdown(blocks), 'ဒီစာ');
  });
});

describe('script detection helpers', () => {
  it('names scripts as the models do and lists what OSD confuses', () => {
    assert.equal(normalizeScriptName('Korean'), 'Hangul');
    assert.equal(normalizeScriptName('Katakana'), 'Japanese');
    assert.deepEqual(candidateScripts('Malayalam'), ['Malayalam', 'Georgian']);
    assert.ok(candidateScripts('Latin').includes('Armenian'));
    assert.deepEqual(candidateScripts(null), ['Hangul', 'Han', 'Japanese']);
  });

  it('keeps the alphabet table as scripts/make-alphabets.mjs writes it from the pinned CLDR package', () => {
    const script = join(__dirname, '..', '..', '..', 'scripts', 'make-alphabets.mjs');
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  it('measures the share of letters in a script and of kana', () => {
    assert.equal(scriptShare('Привет, мир', 'Cyrillic'), 1);
    assert.equal(scriptShare('Привет world', 'Cyrillic'), 6 / 11);
    assert.equal(scriptShare('12 34', 'Latin'), 0);
    assert.ok(kanaShare('人類社会のすべての構成員') > 0.3);
    assert.equal(kanaShare('人类家庭所有成员'), 0);
  });

  it('finds the inked row runs of a page profile', () => {
    assert.deepEqual(inkedRuns([0, 0, 9, 9, 9, 0, 1, 0, 8, 8], 2), [[2, 4], [8, 9]]);
  });

  it('finds the lines of a skewed page, their slope, and cuts a level band of four of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'band-'));
    try {
      const path = join(dir, 'page.jpg');
      // Rendered at 1.5 degrees clockwise: lines descend to the right by tan(1.5°) = 0.026.
      writeFileSync(path, await renderPage(declarationExcerpt('eng', 900), 'DejaVu Serif', { degraded: true }));
      const page = await findTextLines(path);
      assert.ok(page.lines.length >= 8, `${page.lines.length} lines`);
      // Measured on an 800 px thumbnail in strips 200 px apart: a row of offset is 0.005 of slope.
      assert.ok(Math.abs(page.slope - Math.tan((1.5 * Math.PI) / 180)) <= 0.01, `slope ${page.slope}`);
      const band = await cropTextBand(path, page, dir);
      assert.ok(band);
      // Levelled: its rows are not the page's as they are, so no reading of the page can reuse it.
      assert.equal(band.rows, null);
      const { height = 0 } = await sharp(band.path).metadata();
      const pitch = (page.lines[page.lines.length - 1]![1] - page.lines[0]![0]) / page.lines.length;
      assert.ok(height > pitch * 3.5 && height < pitch * 5.5, `band ${height} px, line pitch ${pitch.toFixed(0)} px`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts no band from a skewed page of six lines: the band would be most of the page, read on top of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'band-'));
    try {
      const path = join(dir, 'page.jpg');
      writeFileSync(path, await renderPage(declarationExcerpt('eng', 560), 'DejaVu Serif', { degraded: true }));
      const page = await findTextLines(path);
      // Six lines and a slope: a band of four could only be cut by margins and levelled, most of the
      // page with parts of the lines around it.
      assert.equal(page.lines.length, 6);
      assert.ok(Math.abs(page.slope) > 0.01, `slope ${page.slope}`);
      assert.equal(await cropTextBand(path, page, dir), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts no band from a small level page whose lines touch where a band would be cut: the page is probed whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'band-'));
    try {
      const srp = RENDERED_LANGUAGES.find((l) => l.model === 'srp')!;
      const path = join(dir, 'page.png');
      writeFileSync(path, await renderPage(declarationExcerpt(srp.udhr, excerptLength(srp)), srp.font));
      const page = await findTextLines(path);
      // Level, with more lines than a band needs and few enough for a peek.
      assert.ok(Math.abs(page.slope) < 0.002, `slope ${page.slope}`);
      assert.ok((await linesIn(path)) >= 6 && (await linesIn(path)) <= 7, `${await linesIn(path)} lines`);
      assert.equal(await cropTextBand(path, page, dir), null);
      assert.ok((await cropPeek(path, page, dir))?.rows, 'its peek, cut through blank rows, stays');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Text lines in an image, as the band's measure counts them. */
  async function linesIn(path: string): Promise<number> {
    return countTextLines(await findTextLines(path));
  }

  it('peeks at two lines of a small level page, cut through rows blank across it, with a line on either side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peek-'));
    try {
      const path = join(dir, 'page.png');
      // French: accents and descenders in runs of their own between the lines.
      writeFileSync(path, await renderPage(declarationExcerpt('fra', 420), 'DejaVu Serif'));
      const page = await findTextLines(path);
      const peek = await cropPeek(path, page, dir);
      assert.ok(peek?.rows, 'a peek with the rows it was cut at');
      const darkest = await darkestInRows(path, peek.rows);
      assert.ok(darkest.every((grey) => grey > 200), `rows ${peek.rows.join(', ')}: pixels at ${darkest.join(', ')}`);
      assert.equal(await linesIn(peek.path), 2);
      assert.ok(page.lines.some(([, bottom]) => bottom <= peek.rows![0]) && page.lines.some(([top]) => top >= peek.rows![1]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('peeks at two lines of a small skewed scan, levelled, standing for no rows of the page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peek-'));
    try {
      const path = join(dir, 'page.jpg');
      // Blurred: no row between its lines is blank across the page.
      writeFileSync(path, await renderPage(declarationExcerpt('eng', 560), 'DejaVu Serif', { degraded: true, rotate: 0.8, noise: false }));
      const page = await findTextLines(path);
      assert.ok(Math.abs(page.slope) > 0.005, `slope ${page.slope}`);
      const peek = await cropPeek(path, page, dir);
      assert.ok(peek);
      assert.equal(peek.rows, null);
      assert.equal(await linesIn(peek.path), 2);
      // Level: the two lines' runs are as thin as the page's lines measured across a quarter of it.
      const level = await findTextLines(peek.path);
      assert.ok(Math.abs(level.slope) < 0.005, `slope ${level.slope}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a line whose descenders stand apart in the row profile once: a small blurred scan is still peeked at', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peek-'));
    try {
      const path = join(dir, 'page.jpg');
      writeFileSync(path, await renderPage(declarationExcerpt('fin', 420), 'DejaVu Serif', { degraded: true, rotate: 0.8, noise: false }));
      const page = await findTextLines(path);
      // Ten runs of ink: most lines' descenders, parted from them by a row of little ink, run apart.
      assert.ok(page.lines.length >= 9, `${page.lines.length} runs`);
      // Its six lines, as the strip that parts the most runs sees them (two end left of it).
      assert.ok(countTextLines(page) <= 6, `${countTextLines(page)} lines`);
      assert.ok(smallPage(page));
      // Two lines of that strip, and the short one between them: whole lines, not halves.
      const peek = await cropPeek(path, page, dir);
      assert.ok(peek);
      const peeked = await linesIn(peek.path);
      assert.ok(peeked >= 2 && peeked <= 3, `${peeked} lines`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not peek at a page of many lines: its band of four is a fraction of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peek-'));
    try {
      const path = join(dir, 'page.png');
      writeFileSync(path, await renderPage(declarationExcerpt('fra', 1260), 'DejaVu Serif'));
      const page = await findTextLines(path);
      assert.ok(page.lines.length > 10, `${page.lines.length} lines`);
      assert.equal(await cropPeek(path, page, dir), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Probes answering from a table: model -> [text, confidence]. */
function fakeProbes(readings: Record<string, [string, number]>, osd: string | null) {
  const asked: string[] = [];
  return {
    asked,
    input: {
      available,
      osdScript: async () => osd,
      probe: async (model: string): Promise<Probe> => {
        asked.push(model);
        const [text, confidence] = readings[model] ?? ['', 0];
        return { model, text, confidence };
      },
    },
  };
}

/** Strips answering from a table (model -> [text, confidence]), and the models that read one. */
function skimming(strips: Record<string, [string, number]>) {
  const skimmed: string[] = [];
  const skim = async (model: string): Promise<Probe> => {
    skimmed.push(model);
    const [text, confidence] = strips[model] ?? ['', 0];
    return { model, text, confidence };
  };
  return { skimmed, skim };
}

const FRENCH = 'Considérant que la reconnaissance de la dignité inhérente à tous les membres de la famille humaine et de leurs droits égaux';
const FRENCH_PLAIN = 'Considerant que la reconnaissance de la dignite inherente a tous les membres de la famille humaine et de leurs droits egaux';
/** A Sinhala band, and English's reading of it. */
const SINHALA = 'ලෝකයේ පවත්නා නිදහස, යුක්තිය සහ සාමය යන්නෙහි පදනම මිනිස් පවුලේ සියලු දෙනාගේ ම සහජ ගරුත්වය';
const SINHALA_IN_ENGLISH: [string, number] = ['6e8 GmMe@asdO so 5 4& cn&sd', 0.3];

describe('decideLanguage', () => {
  it('tells a Latin page and its language from the English band reading alone when franc is clear', async () => {
    const { input, asked } = fakeProbes({ eng: [FRENCH_PLAIN, 0.85], fra: [FRENCH, 0.93] }, 'Latin');
    const decision = await decideLanguage(input);
    assert.equal(decision.script, 'Latin');
    assert.equal(decision.language, 'fra');
    assert.deepEqual(asked, ['eng']);
    assert.ok(decision.languageConfidence > 0 && decision.languageConfidence <= 1);
  });

  it('reads a page that looks Chinese, Japanese or Korean in those models before asking OSD', async () => {
    const look = { latinUnlikely: async () => true, lookScripts: async () => ['Japanese', 'Han', 'Hangul'] };
    const osdAsked = (input: { osdScript: () => Promise<string | null> }) => {
      const calls = { n: 0 };
      return { calls, osdScript: async () => (calls.n++, input.osdScript()) };
    };
    const japanese = fakeProbes({ jpn: ['人類社会のすべての構成員の固有の尊厳と平等で譲ることのできない権利とを承認することは', 0.9] }, 'Japanese');
    const jpnOsd = osdAsked(japanese.input);
    const jpnDecision = await decideLanguage({ ...japanese.input, ...look, osdScript: jpnOsd.osdScript });
    assert.equal(jpnDecision.language, 'jpn');
    assert.deepEqual([...new Set(japanese.asked)], ['jpn']);
    assert.equal(jpnOsd.calls.n, 0);

    const korean = fakeProbes({ jpn: ['二 人 口 上 ロ', 0.3], chi_sim: ['二 人 口 上', 0.35], kor: ['모든 인류 구성원의 천부의 존엄성과 동등하고 양도할 수 없는 권리를 인정하는 것이', 0.88] }, 'Korean');
    const korOsd = osdAsked(korean.input);
    const korDecision = await decideLanguage({ ...korean.input, ...look, osdScript: korOsd.osdScript });
    assert.equal(korDecision.script, 'Hangul');
    // Japanese's model reads Chinese bands well (0.61-0.65): reading a page poorly, it rules Chinese out.
    assert.deepEqual([...new Set(korean.asked)], ['jpn', 'kor']);
    assert.equal(korOsd.calls.n, 0);

    // None of them reads clearly (a Hebrew page with square letters): OSD is asked after all.
    const hebrew = fakeProbes({ heb: ['בהיות הכרה בכבוד הטבעי אשר לכל בני משפחת האדם ובזכויותיהם השוות', 0.9] }, 'Hebrew');
    const hebOsd = osdAsked(hebrew.input);
    const hebDecision = await decideLanguage({ ...hebrew.input, ...look, osdScript: hebOsd.osdScript });
    assert.equal(hebDecision.script, 'Hebrew');
    assert.equal(hebOsd.calls.n, 1);
  });

  it('reads Georgian that OSD calls Malayalam, by the better band reading', async () => {
    const georgian = 'ვინაიდან ადამიანთა საზოგადოების ყველა წევრის ღირსების';
    const { input } = fakeProbes({ eng: ['LoeoLo Loo', 0.3], mal: ['ഃ ഃ', 0.4], kat: [georgian, 0.95] }, 'Malayalam');
    const decision = await decideLanguage(input);
    assert.equal(decision.script, 'Georgian');
    assert.equal(decision.language, 'kat');
    assert.equal(decision.languageConfidence, 1);
  });

  it('tries every script when OSD has none and its usual suspects read poorly', async () => {
    const armenian = 'Քանի որ մարդկային ընտանիքի բոլոր անդամներին ներհատուկ արժանապատվության';
    const { input, asked } = fakeProbes({ eng: ['qwe', 0.3], hye: [armenian, 0.9] }, null);
    const decision = await decideLanguage(input);
    assert.equal(decision.language, 'hye');
    assert.ok(asked.length > 4);
    // English half reading it (as a Korean page never reads): Armenian is among the scripts English
    // takes for Latin, read in place of the square ones.
    const halfRead = fakeProbes({ eng: ['qwe', 0.4], hye: [armenian, 0.9] }, null);
    assert.equal((await decideLanguage(halfRead.input)).language, 'hye');
    assert.deepEqual(halfRead.asked, ['eng', 'hye']);
    // Widely written scripts first: a Marathi page OSD found nothing on took 9 readings, Greek's and Hebrew's among them.
    const marathi = fakeProbes({ eng: ['oI self Ad Heddle ad aed carti', 0.3], hin: ['ज्या अर्थी मानव कुटुंबातील सर्व व्यक्तींचे जन्मजात प्रतिष्ठेचे आणि समान', 0.89] }, null);
    assert.equal((await decideLanguage(marathi.input)).script, 'Devanagari');
    assert.deepEqual(marathi.asked.slice(0, 6), ['eng', 'kor', 'chi_sim', 'jpn', 'ara', 'hin']);
  });

  it('ranks the scripts it sweeps on their readings of a strip, and reads the band in the best two only', async () => {
    const armenian = 'Քանի որ մարդկային ընտանիքի բոլոր անդամներին ներհատուկ արժանապատվության';
    const page = fakeProbes({ eng: ['qwe', 0.3], hye: [armenian, 0.9] }, null);
    const strips = skimming({ hye: ['Քանի որ մարդկային ընտանիքի', 0.85], kat: ['ვინაიდან ადამიანთა', 0.5] });
    assert.equal((await decideLanguage({ ...page.input, skim: strips.skim })).language, 'hye');
    // English, then OSD's silence's scripts, then the strip's best.
    assert.deepEqual(page.asked, ['eng', 'kor', 'chi_sim', 'jpn', 'hye']);
    assert.ok(strips.skimmed.length > 20, `skimmed ${strips.skimmed.join(',')}`);
    assert.ok(!strips.skimmed.some((model) => ['eng', 'kor', 'chi_sim', 'jpn'].includes(model)), 'no script read on the band skimmed');
    // The engine's readings of a French handwritten page (copiste 0053_2): its best strips are in
    // figures (Thai's 42%, Korean's 75%), the one finalist (Armenian) reads the band unclearly, and
    // Latin stays.
    const thai = 'น (ซ้ (6 ์ น ๓ ซุ ข์ - 53 2 ดุ น ป ๒ 6 - /3 0 ๕ 6 (๕๕ ๒ 2946';
    const letter = fakeProbes({ eng: ['(Ce pas fe a ai Ane, LSU a ovb nowrents yaue ARQ Aernt porte', 0.3], tha: [thai, 0.58], hye: ['(ՇՔՅ (ճարբց - 55 ճարտ - |3 յանք', 0.3] }, null);
    const noise = skimming({ tha: ['( ะ 0 ๒ 8 ฆ ุ น ก. 6 ๆ 7 ๆ % ผ ์', 0.59], hye: ['(«Օն իեն Հյ "ռ | 04 «ո ՛', 0.45], kor: ['(06 06 베드 | 69', 0.55] });
    assert.equal((await decideLanguage({ ...letter.input, skim: noise.skim })).script, 'Latin');
    assert.deepEqual(letter.asked, ['eng', 'kor', 'chi_sim', 'jpn', 'hye']);
    // Strips read poorly make no finalist either: none is read on the band.
    const faint = fakeProbes({ eng: ['(Ce pas fe a ai Ane, LSU a ovb nowrents yaue ARQ Aernt porte', 0.3] }, null);
    const faintStrips = skimming({ rus: ['Се ре Зал', 0.26], ell: ['άσρ β.ὰ/ - | 1 -θι', 0.32], lao: ['(ະດ %.; າ | 6 <: ໌', 0.32] });
    assert.equal((await decideLanguage({ ...faint.input, skim: faintStrips.skim })).script, 'Latin');
    assert.deepEqual(faint.asked, ['eng', 'kor', 'chi_sim', 'jpn']);
    // The scripts the page's lines do not look like are not skimmed.
    const unlike = ['Han', 'Japanese', 'Hangul', 'Hebrew', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Malayalam'];
    const shaped = skimming({});
    await decideLanguage({ ...faint.input, skim: shaped.skim, unlikeScripts: async () => unlike });
    assert.ok(shaped.skimmed.length > 15, `skimmed ${shaped.skimmed.join(',')}`);
    assert.ok(!shaped.skimmed.some((model) => ['heb', 'amh', 'chr', 'iku', 'mal'].includes(model)), `skimmed ${shaped.skimmed.join(',')}`);
    // So are the scripts English takes for Latin, where it half read the page: an Armenian page OSD
    // called Japanese reads Armenian on the band, and no other of them.
    const misnamed = fakeProbes({ eng: ['Fwuh np dwpnyuwjhu', 0.38], hye: [armenian, 0.9] }, 'Japanese');
    const armenianStrips = skimming({ hye: ['Քանի որ մարդկային ընտանիքի', 0.85], guj: ['માનવ', 0.3] });
    assert.equal((await decideLanguage({ ...misnamed.input, skim: armenianStrips.skim })).script, 'Armenian');
    assert.ok(!misnamed.asked.some((model) => ['guj', 'sin', 'ell', 'rus', 'chr'].includes(model)), `read ${misnamed.asked.join(',')}`);
    // Its clear reading ends the search: only the scripts English takes for Latin were skimmed.
    assert.ok(armenianStrips.skimmed.includes('guj') && armenianStrips.skimmed.length <= 8, `skimmed ${armenianStrips.skimmed.join(',')}`);
    // The engine's readings of an English handwritten letter (SC0033B) OSD called Japanese at 0.36.
    const syriacFigures = '£ )1161 ܐܘ %ܼ _-_ 5 300 2 ܐ :4 ܗ ܠ ܗ 22 ܨ ܡܬ 2 9 1 ܘ 7';
    const handwritten = (syriac: string) =>
      fakeProbes({ eng: ['Son Wrancisco. Oy haricl CEE Prrdaw Mies Cer, KKt G emis (Li', 0.38], syr: [syriac, 0.41], jpn: ['nr Iantctgrn。 2 の の / ン の 2 ンタ', 0.43] }, 'Japanese');
    // OSD unsure of its Japanese: its suggestions are ranked on strips too, none read on the band
    // (the letter's lines are not square: those scripts are not even skimmed), and no other script
    // is skimmed than the scripts English takes for Latin. Sure of it, they are read on the band in
    // turn.
    const notSquare = async () => ['Han', 'Japanese', 'Hangul', 'Hebrew', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Malayalam'];
    const unsure = handwritten(syriacFigures);
    const unsureStrips = skimming({});
    assert.equal((await decideLanguage({ ...unsure.input, osdConfidence: () => 0.36, skim: unsureStrips.skim, unlikeScripts: notSquare })).script, 'Latin');
    assert.ok(!unsure.asked.some((model) => ['jpn', 'chi_sim', 'kor', 'syr'].includes(model)), `read ${unsure.asked.join(',')}`);
    assert.ok(unsureStrips.skimmed.includes('syr') && unsureStrips.skimmed.length <= 8, `skimmed ${unsureStrips.skimmed.join(',')}`);
    const sure = handwritten(syriacFigures);
    await decideLanguage({ ...sure.input, osdConfidence: () => 5, skim: skimming({}).skim, unlikeScripts: notSquare });
    assert.ok(['jpn', 'chi_sim', 'kor'].every((model) => sure.asked.includes(model)), `read ${sure.asked.join(',')}`);
    // Unsure of a script the page's lines may be in, OSD has it read on the band first: a rendered
    // page of polytonic Greek (English 0.57, OSD Greek at 1.37) is read in Greek's model once.
    const greekPage = fakeProbes({ eng: ['Ev apyf Hv 6 Aoyos, kal 6 Aoyos Hv mpos Tov Bedv', 0.57], ell: ['Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν, καὶ θεὸς ἦν ὁ λόγος', 0.89] }, 'Greek');
    const greekStrips = skimming({});
    assert.equal((await decideLanguage({ ...greekPage.input, osdConfidence: () => 1.37, skim: greekStrips.skim })).script, 'Greek');
    assert.deepEqual(greekStrips.skimmed, []);
    // OSD naming no script on a page English half read: the scripts English takes for Latin are
    // ranked on strips too. A handwritten letter's (Lettre251) read none of them on the band; an
    // Armenian page's read Armenian's on it, after its strip.
    const letter251 = fakeProbes({ eng: ['omuak tinal 6 ayou, whe knour Ovrnd.Linvled hand. Ataimfors', 0.38] }, null);
    const letter251Strips = skimming({ hye: ['Մաք ան', 0.19], sin: ['ශ ව ම', 0.35], rus: ['отека або', 0.17] });
    assert.equal((await decideLanguage({ ...letter251.input, skim: letter251Strips.skim })).script, 'Latin');
    assert.ok(!letter251.asked.some((model) => ['hye', 'guj', 'sin', 'ell', 'rus', 'chr'].includes(model)), `read ${letter251.asked.join(',')}`);
    assert.ok(['hye', 'guj', 'sin', 'ell', 'rus'].every((model) => letter251Strips.skimmed.includes(model)), `skimmed ${letter251Strips.skimmed.join(',')}`);
    const armenianPage = fakeProbes({ eng: ['qwe', 0.4], hye: [armenian, 0.9] }, null);
    const armenianPageStrips = skimming({ hye: ['Քանի որ մարդկային ընտանիքի', 0.85] });
    assert.equal((await decideLanguage({ ...armenianPage.input, skim: armenianPageStrips.skim })).language, 'hye');
    assert.deepEqual(armenianPage.asked, ['eng', 'hye']);
    // A page whose lines look little like Latin's has OSD asked before English: an unsure look
    // there (Japanese at 1.06, copiste 0052's) has English read first, which half reads it, and the
    // look's suggestions are ranked on strips.
    const unlatin = fakeProbes({ eng: ['Nota bbe cle Corpable est im RUiEilm Fron cais un dour pees', 0.44], syr: [syriacFigures, 0.31] }, 'Japanese');
    const unlatinStrips = skimming({});
    const unlatinInput = { ...unlatin.input, latinUnlikely: async () => true, osdConfidence: () => 1.06, skim: unlatinStrips.skim, unlikeScripts: notSquare };
    assert.equal((await decideLanguage(unlatinInput)).script, 'Latin');
    assert.equal(unlatin.asked[0], 'eng');
    assert.ok(!unlatin.asked.some((model) => ['jpn', 'chi_sim', 'kor', 'syr'].includes(model)), `read ${unlatin.asked.join(',')}`);
  });

  // Readings of rendered declaration bands by Tesseract's models (the engine's words, as probes get them).
  const LAO_PAGE_BY_THAI = 'ย า ท จ ั บ ธั ๊ ม แล ้ ม บ ั ๊ บ ได ้ ถิ ภ ป ะ ภา ค ว ่ า : เป ็ บ ถ ว า ม ป า ถะ แบ มา ร ั ม ย อ ด ย ิ ่ ๆ 2 ธา ม ะ บ ุ ด . ด ้ ว ย เท ท ว่า: ม ิ ด';
  const LAO_PAGE_BY_LAO = 'ຢາກຈົນຂືນແຄື່ນນັ້ນໃດ້ຖືກປະກາດວາ: ເປັນຄວາມປາຖະທາອົນຍອດຍີງຂອງມະນຸດ. ດ່ວຍເຫດ3າ: ມີຄວາມສໍາຄັນທີຕືອງລະບຽບສິດຝ້ອງກັນສິດທັງທາຍຂອງມະນຸດເພື່ອຜ່ໃທ';
  const THAI_PAGE_BY_THAI = 'ป ณิ ธา น ส ู ง ส ุ ด ขอ ง ส า ม ั ญ ช น ได ้ แก ่ ค ว า ม ต ้ อ ง ก า ร ให ้ ม น ุ ษ ย ์ ม ี ชี ว ิ ต อ ย ู ่ ใน โล ก ด ้ ว ย อ ิ ส ร ภา พ ใน ก า ร พ';
  const THAI_PAGE_BY_LAO = 'ປເນີຣາບສູຍສຸດບອງສາຽ໌ຝູບບໂດ້້ແຄ່ຄງາມຕື່ອງຄາ3ໃຄ້້ມບຸຜສ໌ມິຜິງິຕອຢູ່ໃບໂຄກດັ່ງຢອິສຣຄາໄໃບຄາຣພູດ ແລະຄຽາມເບິວຄັ່ອ ເເຄະວິສ5ກາໄາພັບຈໍາຄຄວາມຕງາດຄ';

  it('tells Lao and Khmer from Thai by their common words, where confidence misleads (Lao reads its own band at 0.10)', async () => {
    const lao = fakeProbes({ eng: ['x', 0.2], tha: [LAO_PAGE_BY_THAI, 0.86], lao: [LAO_PAGE_BY_LAO, 0.1] }, 'Thai');
    const decision = await decideLanguage(lao.input);
    assert.equal(decision.script, 'Lao');
    assert.equal(decision.language, 'lao');
    const thai = fakeProbes({ eng: ['x', 0.2], tha: [THAI_PAGE_BY_THAI, 0.94], lao: [THAI_PAGE_BY_LAO, 0.0] }, 'Thai');
    assert.equal((await decideLanguage(thai.input)).language, 'tha');
    // A degraded Khmer page, which OSD calls Latin: Thai's model reads it surer than Khmer's.
    const khmerByThai = 'เธ ร ฉา ธุ ม ศา ส เซ า ฬา เณ ค ี เนา ธานี อ ุ ส เบ ิ น ู ส ง บ ล ิ ช ธ ส ชุ ร ธ ู เฮ 1 ฯ เผา เพ เพ ณ์ ห เซี เ ท ษา ฉา ค า ร ร ใน ฉา ษ์ โฉ ผิ ธิ ชร ธ ู ญ เต ภ์ โ';
    const khmerByKhmer = 'ត្រូវបានប្រកាសថាជាសេចក្តីប្រាថ្នាដឺខ្ពស់បំផុតរបស់មនុស្សទ្វទៅ។ ដោយយល់ឃើញថា ជាការចាំបាច់ ដែលសិទ្ធិមនុស្សត្រូវតែបានការពារដោយនីតិរដ្ឋ ដើម្បីជៀសវាងកុំឱ្យមនុស្សបង្ខំច';
    const khmer = fakeProbes({ eng: ['x', 0.2], tha: [khmerByThai, 0.68], khm: [khmerByKhmer, 0.44] }, 'Latin');
    const decision2 = await decideLanguage(khmer.input);
    assert.equal(decision2.language, 'khm');
    assert.ok(new Set(khmer.asked).size <= 6, `${khmer.asked.length} readings: Khmer's words end the search`);
  });

  it('does not take a model repeating a few of its glyphs over a foreign page for the page\'s script (Ethiopic and Thaana on Myanmar)', async () => {
    const myanmar = '၈ ဂ ရှ ၀၀၄၅ ၈ ဂ ၈ ၅ (၀ ဇြန ၈ ၀၉၅ ၉ ယ ရျ ရှ ရှ လူ္ဝတာလပဇစာ ဖွင့်ဟပြောဆိုနိုင်မှု လ္ဝတာလပစဇစ္နာ သက၀င ယုံကြည်နိုင်မှု; ကြောက်ရွံ့ ခြင်း; ချို့ငဲ့ခြင်းတိ';
    const ethiopic = 'ር ር ር ዕዕዐር ር ር ር ጀር « ርፀር ር ሪ5ሯጅፎር ኃዕ *ኔፎርኗ.,.5 ር ር ርጋጋጋርጋ(ሀ)ዌወ3 ቋ5‹26[8መዴ559 ርህዐጋርጋ(0)ቹዌ3 33በ30ር 5[ዐ365ዱ5ሂ፤ «፡ቹ>ቧሏ 8 ግ1ና‹፡ናጌና ሰቦጋ365ዕነ)3ዐ3ዌ3 0 0 095';
    const thaana = '€ € ¬ ` ¬ ސ € € © € 5 © © © © © € © ® ?)¢ ©| ]¬ | 6 35 5 9 59 1 0 5 © ”© € ° ° 1 15 5°° © 1';
    const { input } = fakeProbes({ eng: ['x', 0.2], ara: ['هم ليقع يكال', 0.45], mya: [myanmar, 0.56], amh: [ethiopic, 0.63], tir: [ethiopic, 0.58], div: [thaana, 0.58] }, 'Arabic');
    const decision = await decideLanguage(input);
    assert.equal(decision.script, 'Myanmar');
    assert.equal(decision.language, 'mya');
  });

  it('stops at a script that reads far better than the scripts read before it, though below a clear reading (Ethiopic, which OSD calls Arabic)', async () => {
    // The engine's band readings of a rendered Amharic page (Thaana's and Syriac's used to follow).
    const amharic = 'የሰው፡ልጅ፡ሁሉ፡ሲወለድ፡ነጻና፡በክብርና፡በመብትም፡እኩልነት፡ያለው፡ነው።፡የተፈጥሮ፡ማስተዋልና፡ሕሊና፡ስላለው፡አንዱ፡ሌላውን';
    const { input, asked } = fakeProbes({ ara: ['4 ناب ا لمكت نجاط ا وم رمن عب', 0.28], mya: ['ပြပ ၂ ၂ ~ 4... ၂၂ ပုဒ၂ | ၂၂ ၂.', 0.19], amh: [amharic, 0.71], div: ['9¶0\\ ©: (0$‰†|†¢1:6049†`†5', 0.19], syr: ['?0¢,6:010,9":?/&; 4:65: 6)%141', 0.08] }, 'Arabic');
    const decision = await decideLanguage({ ...input, latinUnlikely: async () => true });
    assert.equal(decision.script, 'Ethiopic');
    assert.deepEqual(asked, ['ara', 'mya', 'amh']);
    // Alone, the same reading is no evidence against scripts not yet read.
    const alone = fakeProbes({ amh: [amharic, 0.71], div: ['9¶0\\ ©: (0$‰†|†¢1:6049†`†5', 0.19], syr: ['?0¢,6:010,9":?/&; 4:65: 6)%141', 0.08] }, 'Ethiopic');
    await decideLanguage({ ...alone.input, latinUnlikely: async () => true });
    assert.deepEqual(alone.asked, ['amh', 'mya']);
  });

  it("reads Cherokee's model before Chinese's and Korean's where Japanese's wrote Latin letters for a square page's signs", async () => {
    const square = async () => ['Japanese', 'Han', 'Hangul', 'Cherokee', 'Canadian_Aboriginal'];
    // The engine's band readings of a rendered Cherokee page and a Korean one.
    const cherokee = fakeProbes({ jpn: ['Bt oy RGJ, EhGwWY DS4c0WO>@6 Dg hSae?O0 ooy6 DhB@ 09h み TG60MT 02hT 6hSPo0WOc>Y', 0.31], chr: ['ᎬᏂᏳᏉ ᏗᏓᏂᎸᏨ ᎾᏍᎩ ᎠᏠᏯᏍᏗᏍᎩ ᎠᏢᏉᏙᏗ ᎠᎴ ᎾᏍᎩᏃ ᎢᎦᏘ ᎠᎴ ᎤᏙᎯᏳᎯᏯ ᎤᏂᎲ ᎢᏳᎾᏛᏗ', 0.95] }, 'Latin');
    assert.equal((await decideLanguage({ ...cherokee.input, latinUnlikely: async () => true, lookScripts: square })).script, 'Cherokee');
    assert.deepEqual(cherokee.asked, ['jpn', 'chr']);
    const korean = fakeProbes({ jpn: ['豆 選 号 エ 多 2| 神 早 2| 会 避 寺 きす [ エ 下谷 全 記 記 二 可 言 98 刀 0| 央 剤 9| 久富 , お 只 習 計 引', 0.24], kor: ['모든 인류 구성원의 천부의 존엄성과 동등하고 양도할 수 없는 권리를 인정하는 것이', 0.92] }, 'Hangul');
    assert.equal((await decideLanguage({ ...korean.input, latinUnlikely: async () => true, lookScripts: square })).script, 'Hangul');
    assert.deepEqual(korean.asked, ['jpn', 'kor']);
  });

  it("reads Cherokee's and the syllabics' models on the band only where they read a strip of it clearly, after Japanese's wrote Latin letters", async () => {
    const square = async () => ['Japanese', 'Han', 'Hangul', 'Cherokee', 'Canadian_Aboriginal'];
    // The engine's readings of a table of figures: its band in Japanese's and English's models, strips in Cherokee's and Inuktitut's.
    const table = fakeProbes({ jpn: ['Patkmt deiy 553 400 59 と 1233 5 195 Heathcare servces delay', 0.6], eng: ['Patient delay $53 400 59 S122 § 198 Healthcare services delay', 0.76] }, 'Latin');
    const tableStrips = skimming({ chr: ['ᎮᏕᎷᎢ! ᏧᏬᎷᎩ ᎻᏮᏘᎿᏂᏃᏍᎴᎵ', 0.31], iku: ['ᑭᑲ! ᑰᔨᑖ|ᐯ ᕼᓐᐛᑎᑰᒣ-ᙂᑎᒃ 5ᑭᒋᑏ-ᑭᔦ', 0.09] });
    assert.equal((await decideLanguage({ ...table.input, latinUnlikely: async () => true, lookScripts: square, skim: tableStrips.skim })).script, 'Latin');
    assert.deepEqual(table.asked, ['jpn', 'eng']);
    assert.deepEqual(tableStrips.skimmed, ['chr', 'iku']);
    // A Cherokee page: its strip reads 0.90 in Cherokee's model, which then reads the band.
    const cherokee = fakeProbes({ jpn: ['Bt oy RGJ, EhGwWY DS4c0WO>@6 Dg hSae?O0 ooy6 DhB@ 09h み TG60MT 02hT 6hSPo0WOc>Y', 0.31], chr: ['ᎬᏂᏳᏉ ᏗᏓᏂᎸᏨ ᎾᏍᎩ ᎠᏠᏯᏍᏗᏍᎩ ᎠᏢᏉᏙᏗ ᎠᎴ ᎾᏍᎩᏃ ᎢᎦᏘ ᎠᎴ ᎤᏙᎯᏳᎯᏯ ᎤᏂᎲ ᎢᏳᎾᏛᏗ', 0.95] }, 'Latin');
    const cherokeeStrips = skimming({ chr: ['ᎾᎿ ᎾᏍᎩ ᎡᎶᎯ, ᎬᏂᏳᏉ ᎠᎦᏎᏍᏔᏅᎾ ᎠᎴ', 0.9] });
    assert.equal((await decideLanguage({ ...cherokee.input, latinUnlikely: async () => true, lookScripts: square, skim: cherokeeStrips.skim })).script, 'Cherokee');
    assert.deepEqual(cherokee.asked, ['jpn', 'chr']);
    assert.deepEqual(cherokeeStrips.skimmed, ['chr']);
  });

  it('takes a script its look names at a reading OSD would have had to confirm, and reads it after an unsure English reading too', async () => {
    const amharic = 'የሰው፡ልጅ፡ሁሉ፡ሲወለድ፡ነጻና፡በክብርና፡በመብትም፡እኩልነት፡ያለው፡ነው።፡የተፈጥሮ፡ማስተዋልና፡ሕሊና፡ስላለው፡አንዱ፡ሌላውን';
    let osdCalls = 0;
    const countedOsd = async () => (osdCalls++, 'Arabic');
    const square = fakeProbes({ amh: [amharic, 0.71] }, 'Arabic');
    const decision = await decideLanguage({ ...square.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: async () => ['Ethiopic', 'Japanese', 'Han', 'Hangul'] });
    assert.equal(decision.script, 'Ethiopic');
    assert.deepEqual(square.asked, ['amh']);
    assert.equal(osdCalls, 0);
    // A scanned Hebrew page whose look alone does not rule out Latin: English first, then Hebrew, no OSD.
    const hebrew = fakeProbes({ eng: ['Pmo-h wall ner. 00! ner', 0.3], heb: ['בהיות הכרה בכבוד הטבעי אשר לכל בני משפחת האדם ובזכויותיהם השוות', 0.9] }, 'Hebrew');
    assert.equal((await decideLanguage({ ...hebrew.input, osdScript: countedOsd, lookScripts: async () => ['Hebrew'] })).script, 'Hebrew');
    assert.deepEqual(hebrew.asked, ['eng', 'heb']);
    assert.equal(osdCalls, 0);
    // Greek's look after English's reading of a Greek peek (0.38), and of a Malayalam band that shares
    // Greek's look (0.17): Greek's model is read only after the first.
    const greekText = 'Επειδή η αναγνώριση της αξιοπρέπειας, που είναι σύμφυτη σε όλα τα μέλη της ανθρώπινης οικογένειας';
    const greek = fakeProbes({ eng: ['OLKOYEVELAC, KAOWC KAL TWVY LOWV KAL AVATIAAAOTPIWTWV', 0.38], ell: [greekText, 0.9] }, 'Latin');
    assert.equal((await decideLanguage({ ...greek.input, osdScript: countedOsd, lookScripts: async () => ['Greek'] })).script, 'Greek');
    assert.deepEqual(greek.asked, ['eng', 'ell']);
    assert.equal(osdCalls, 0);
    const malayalam = fakeProbes({ eng: ['AAISICHOMBMIOSMAMNBBOIMIANS GIaH(SEBBUB MATIC AMDaN{Bo', 0.17], mal: ['മനുഷ്യകുടുംബത്തിലെ എല്ലാ അംഗങ്ങളുടെയും', 0.9] }, 'Malayalam');
    await decideLanguage({ ...malayalam.input, lookScripts: async () => ['Greek'] });
    assert.equal(malayalam.asked.includes('ell'), false, malayalam.asked.join(', '));
    // A scanned Thai page of Sinhala's shape, which English reads at 0.01: neither Sinhala nor Gujarati.
    const thai = fakeProbes({ eng: ['a', 0.01], tha: ['เนื่องจากการยอมรับนับถือเกียรติศักดิ์ประจำตัว และสิทธิเท่าเทียมกัน', 0.94] }, 'Thai');
    assert.equal((await decideLanguage({ ...thai.input, lookScripts: async () => ['Sinhala', 'Gujarati'] })).script, 'Thai');
    assert.deepEqual(thai.asked.filter((m) => m === 'sin' || m === 'guj'), []);
    // A clean Telugu page of Armenian's shape, which English reads at 0.11: no Armenian.
    const telugu = fakeProbes({ eng: ['Boo Sow 3oH 0OKd', 0.11], tel: ['మానవ కుటుంబ సభ్యులందరికీ సహజసిద్ధమైన గౌరవాన్ని', 0.9] }, 'Telugu');
    assert.equal((await decideLanguage({ ...telugu.input, lookScripts: async () => ['Armenian'] })).script, 'Telugu');
    assert.equal(telugu.asked.includes('hye'), false, telugu.asked.join(', '));
    // A look read unclearly counts only where OSD suggests its script: enlarged tiny English text
    // looked Amharic, read 0.54 in Amharic and 0.64 in Japanese, and OSD called it Thai.
    const tiny = fakeProbes(
      { amh: ['ኾየብና ]ርኒቦሮየኦርበርር - ሰዕርልፎል ዝኾዝዙዐ ፕዅኸየፍፍ ዐና-ጓበዕየ', 0.54], jpn: ['人 口 上 二 人 口 上 二 人 口', 0.64], eng: ['Prior Experience One Two High Medium-High Low Very-Low Total Three or More', 0.82] },
      'Thai',
    );
    const tinyDecision = await decideLanguage({ ...tiny.input, latinUnlikely: async () => true, lookScripts: async () => ['Ethiopic', 'Japanese', 'Han', 'Hangul'] });
    assert.equal(tinyDecision.script, 'Latin');
    // Below that, the look's reading is one candidate among OSD's, after English's (square lines may
    // be Latin's capitals and figures).
    const poor = fakeProbes({ amh: [amharic, 0.5], ara: ['هم ليقع يكال', 0.45] }, 'Arabic');
    await decideLanguage({ ...poor.input, latinUnlikely: async () => true, lookScripts: async () => ['Ethiopic'] });
    assert.deepEqual(poor.asked.slice(0, 2), ['amh', 'eng']);
    assert.ok(poor.asked.includes('ara'), poor.asked.join(', '));
  });

  it("keeps English for a band whose text franc ranks many languages alike (a receipt's names and prices), and reads none of the scripts English reads worse than this page for OSD's Latin", async () => {
    // franc ranks 22 Latin languages within 90% of Norwegian on this receipt's text.
    const receiptText = 'ALDI SUED Filiale 1234 Milch 0,89 A Butter 1,79 A Brot 2,49 A Kaese 3,29 A Summe 8,46 Geg. Bar 10,00 Rueckgeld 1,54';
    assert.equal(namesNoLanguage(receiptText, await scoreTextLanguages(receiptText, available, 'Latin', 'eng')), true);
    // Prose ranks as flat at times, but has no figures: franc's ranking stands.
    const prose = 'This is a lot of 12 point text to test the ocr code and see if it works on all types of file format.';
    assert.equal(namesNoLanguage(prose, await scoreTextLanguages(prose, available, 'Latin', 'eng')), false);
    const receipt = fakeProbes({ eng: [receiptText, 0.75] }, 'Latin');
    const decision = await decideLanguage(receipt.input);
    assert.equal(decision.script, 'Latin');
    assert.equal(decision.language, 'eng');
    assert.equal(decision.languageConfidence, 0);
    assert.deepEqual(receipt.asked, ['eng']);
    // A poorer band of it (0.49), which OSD calls Latin: English reads no Khmer, Georgian, Sinhala,
    // Armenian, Gujarati or Cherokee page as surely; Greek and Cyrillic are read.
    const poorer = fakeProbes({ eng: [receiptText, 0.49] }, 'Latin');
    assert.equal((await decideLanguage(poorer.input)).script, 'Latin');
    assert.deepEqual(
      poorer.asked.filter((m) => ['khm', 'kat', 'sin', 'hye', 'guj', 'chr'].includes(m)),
      [],
    );
    assert.ok(poorer.asked.includes('ell') && poorer.asked.includes('rus'), poorer.asked.join(', '));
    // OSD naming no script suggests Korean, Chinese and Japanese: not after English read 0.6 (a small table).
    const table = fakeProbes({ eng: ['Total 245 (100.0) 118 (48.2) 127 (51.8) Age years', 0.6] }, null);
    assert.equal((await decideLanguage(table.input)).script, 'Latin');
    assert.deepEqual(table.asked, ['eng']);
    // OSD silent on a tiny table English read at 0.52 (too few signs for it): Latin, nothing more read.
    const tiny = fakeProbes({ eng: ['Number of samples positive for Legionella 394 (58.027%) 242 (42.756%) 636', 0.52] }, null);
    assert.equal((await decideLanguage(tiny.input)).script, 'Latin');
    assert.deepEqual(tiny.asked, ['eng']);
    // Every script read after OSD's suggestions, none clearly: English reading half the page keeps
    // Latin over the best of the poor readings (a tiny table went to Cyrillic at 0.61).
    const swept = fakeProbes({ eng: ['Age median 1.000 0.839 0.310 2.268 Gender Male Female', 0.5], rus: ['Ае тефап 1.000 0.839 0.310 2.268 Сепдег Маіе Реталіе', 0.61] }, 'Hebrew');
    assert.equal((await decideLanguage(swept.input)).script, 'Latin');
    assert.ok(swept.asked.includes('rus') && swept.asked.includes('tha'), 'every script read');
    // An Armenian page English read at 0.3 still reads Armenian's model for OSD's Latin.
    const armenian = fakeProbes({ eng: ['Uwpnly wuhwyntwu hwenwip', 0.3], hye: ['Մարդու իրավունքների համընդհանուր հռչակագիր', 0.9] }, 'Latin');
    assert.equal((await decideLanguage(armenian.input)).script, 'Armenian');
  });

  it("takes square lines no square script reads clearly for Latin's capitals and figures, without OSD (receipts, tables)", async () => {
    let osdCalls = 0;
    const countedOsd = async () => (osdCalls++, 'Devanagari');
    const square = async () => ['Japanese', 'Han', 'Hangul', 'Cherokee', 'Canadian_Aboriginal'];
    // The engine's readings of the band of a German thermal receipt (corpus: softmatic ikea): the
    // Japanese model wrote Latin letters, and English read it no better than Cherokee's model.
    const receipt = fakeProbes(
      {
        jpn: ['RYET LEDL GU10 200lm 22237 2,000 x 3,99 7,98 0 Artikel 20305415 20047', 0.55],
        chr: ['ᎡᎩᎬᎢ ᏞᎬᎠᏞ ᏩᏌᏓᎤ 22237 2,000 × 3,99', 0.51],
        iku: ['ᕼᐱᕮᐃ ᒪᕮᑭᒪ ᐅᕓᒪᑦ 22237', 0.36],
        eng: ['RYET LEDL GU10 200!m 22237 2,000 * 3,99 7,98 0 Artikel 20305415 20047 FILMIS Uhr/Thermom/W 9,99 0', 0.5],
      },
      'Devanagari',
    );
    const decision = await decideLanguage({ ...receipt.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: square });
    assert.equal(decision.script, 'Latin');
    // franc on so poor a reading names noise: English stays, for the page's reading to tell.
    assert.equal(decision.language, 'eng');
    assert.deepEqual(receipt.asked, ['jpn', 'chr', 'iku', 'eng']);
    assert.equal(osdCalls, 0);
    // A receipt of Hebrew's look (a headline over square cores): English reads it as clearly as a
    // look's script must.
    const headlined = fakeProbes({ heb: ['ןגי 4,99 ם 1,49', 0.39], chr: ['ᎡᎦ 4,99 Ꮳ 1,49', 0.54], iku: ['ᕼ 4,99', 0.34], eng: ['SPEISEQUARK 4,99 A BANANEN 1,49 A SUMME 6,48', 0.75] }, 'Cyrillic');
    assert.equal((await decideLanguage({ ...headlined.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: async () => ['Hebrew', 'Cherokee', 'Canadian_Aboriginal'] })).script, 'Latin');
    assert.deepEqual(headlined.asked.slice(0, 4), ['heb', 'chr', 'iku', 'eng']);
    assert.equal(osdCalls, 0);
    // A Chinese scan read unclearly: English reads it poorly, and OSD is asked as before.
    const chinese = fakeProbes({ jpn: ['人人生而自由,在尊严和权利上一律平等', 0.5], chi_sim: ['人人生而自由,在尊严和权利上一律平等', 0.6], eng: ['A A 4 iff A ia', 0.3] }, 'Han');
    await decideLanguage({ ...chinese.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: square });
    assert.equal(osdCalls, 1);
  });

  it('reads the scripts OSD was seen to call Latin before those it never did (a degraded Sinhala page)', async () => {
    const { input, asked } = fakeProbes({ eng: SINHALA_IN_ENGLISH, sin: [SINHALA, 0.96] }, 'Latin');
    const decision = await decideLanguage(input);
    assert.equal(decision.language, 'sin');
    // English read it more surely (0.3) than any Khmer page (0.19 at most): no Khmer.
    assert.deepEqual(asked, ['eng', 'hye', 'guj', 'sin']);
  });

  it('reads the scripts written without spaces first among those OSD calls Latin where the English reading found few spaces, or read them poorly (Khmer)', async () => {
    const khmer = 'ដោយហេតុថាការទទួលស្គាល់សេចក្ដីថ្លៃថ្នូរជាប់ពីកំណើត និងសិទ្ធិស្មើគ្នា និងដែលមិនអាចដកហូតបាន របស់សមាជិកទាំងអស់';
    const probes = (englishWords: number, lines: number, confidence: number) => {
      const probed = fakeProbes({ hye: ['Ճ ճ', 0.15], guj: ['ગ ગ', 0.09], khm: [khmer, 0.78] }, 'Latin');
      const probe = async (model: string): Promise<Probe> =>
        model === 'eng' ? (probed.asked.push(model), { model, text: Array.from({ length: englishWords }, () => 'fn').join(' '), confidence, lines }) : probed.input.probe(model);
      return { ...probed, input: { ...probed.input, probe } };
    };
    // 14 words in 4 lines (as on a Khmer band): Khmer first.
    const unspaced = probes(14, 4, 0.22);
    assert.equal((await decideLanguage(unspaced.input)).language, 'khm');
    assert.deepEqual(unspaced.asked, ['eng', 'khm']);
    // 13 words in 2 lines (a small Khmer page's peek), read at 0.19: Khmer first too.
    const poor = probes(13, 2, 0.19);
    assert.equal((await decideLanguage(poor.input)).language, 'khm');
    assert.deepEqual(poor.asked, ['eng', 'khm']);
    // 30 in 4 (an Armenian band's count): OSD's order.
    const spaced = probes(30, 4, 0.22);
    assert.equal((await decideLanguage(spaced.input)).language, 'khm');
    assert.deepEqual(spaced.asked, ['eng', 'hye', 'guj', 'khm']);
  });

  it('reads a close call\'s other neighbours but not the twin of the language read (Czech read in English without an accent ranked Croatian first)', async () => {
    // The engine's readings of a rendered Czech band, the English one without its é: franc ranks hrv, bos and ces within
    // 1.1% on it, and nothing in its letters tells them apart.
    const { input, asked } = fakeProbes(
      {
        eng: ['vybudovani sveta, ve kterem lide, zbaveni strachu a nouze, se budou teSiti svobode projevu a presvedceni, bylo prohlaSeno za nejvys8si cil lidu, Ze je nutne, aby lidska prava byla chranena zakonem, nema-li byt Clovek donucen uchylovat se, kdyz vSe ostatni selhalo, k odboji proti tyranii a utlaku,', 0.86],
        hrv: ['vybudovani svčta, ve kterem lid€, zbaveni strachu a nouze, se budou tššiti svobodč projevu a pfesvčdčeni, bylo prohlašeno za nejvyšši cil lidu, že je nutnć, aby lidska prava byla chrančna zakonem, nemarli byt človčk donucen uchylovat se, když vše ostatni selhalo, k odboji proti tyranii a utlaku,', 0.89],
        bos: ['vybudovani svčta, ve kterem lidć, zbaveni strachu a nouze, se budou tčšiti svobodč projevu a presvčdčeni, bylo prohlašeno za nejvyšši cil lidu, že je nutnć, aby lidska prava byla chrančna zakonem, nema-li byt človčk donucen uchylovat se, když vše ostatni selhalo, k odboji proti tyranii a Utlaku,', 0.9],
        ces: ['vybudování světa, ve kterém lidé, zbavení strachu a nouze, se budou těšiti svobodě projevu a přesvědčení, bylo prohlášeno za nejvyšší cíl lidu, že je nutné, aby lidská práva byla chráněna zákonem, nemá-li být člověk donucen uchylovat se, když vše ostatní selhalo, k odboji proti tyranii a útlaku,', 0.96],
      },
      'Latin',
    );
    assert.equal((await decideLanguage(input)).language, 'ces');
    // franc puts one of the twins first; the other reads the band as surely, so it is not read.
    const [, first] = asked;
    assert.ok(first === 'hrv' || first === 'bos', `read: ${asked.join(', ')}`);
    assert.ok(!asked.includes(first === 'hrv' ? 'bos' : 'hrv') && asked.includes('ces'), `read: ${asked.join(', ')}`);
  });

  it('reads the neighbour whose alphabet has the English reading\'s letters first: Czech\'s é, which Croatian and Bosnian have not', async () => {
    const { input, asked } = fakeProbes(
      {
        eng: ['vybudovani svéta, ve kterém lidé, zbaveni strachu a nouze, se budou téSiti svobodé projevu a presvédceni, bylo prohlaSeno za nejvys8si cil lidu, Ze je nutné, aby lidska prava byla chranéna zakonem, nema-li byt Clovék donucen uchylovat se, kdyz vSe ostatni selhalo, k odboji proti tyranii a utlaku,', 0.86],
        ces: ['vybudování světa, ve kterém lidé, zbavení strachu a nouze, se budou těšiti svobodě projevu a přesvědčení, bylo prohlášeno za nejvyšší cíl lidu, že je nutné, aby lidská práva byla chráněna zákonem, nemá-li být člověk donucen uchylovat se, když vše ostatní selhalo, k odboji proti tyranii a útlaku,', 0.96],
      },
      'Latin',
    );
    assert.equal((await decideLanguage(input)).language, 'ces');
    assert.deepEqual(asked, ['eng', 'ces']);
    // One stray letter is no alphabet's evidence: a Croatian sentence with one é still ranks Croatian first.
    const croatian = 'Svatko ima pravo na život, slobodu i osobnu sigurnost. Nitko ne smije biti držan u ropstvu ili kafé';
    assert.equal((await scoreTextLanguages(croatian, available, 'Latin'))[0]?.[0], 'hrv');
  });

  it("takes a long reading by English's model without é as evidence against a language that writes it often (English screenshot text franc ranked French)", async () => {
    // The five lines of a dark-mode screenshot, as English's model read them: 177 letters, no é.
    const screenshot = 'The quick brown fox jumps over the lazy dog. Dark mode screenshots are common inputs for OCR. Settings: font size 14, theme dark, line height 1.5 Invoice 2024-118 total amount due 1,250.00 EUR Contact support@example.com for further questions.';
    assert.equal((await scoreTextLanguages(screenshot, available, 'Latin'))[0]?.[0], 'fra', 'franc alone');
    assert.equal((await scoreTextLanguages(screenshot, available, 'Latin', 'eng'))[0]?.[0], 'eng');
    // A French reading with its é keeps French first; so does one too short for é's absence to tell.
    const french = "Considérant que la reconnaissance de la dignité inhérente à tous les membres de la famille humaine et de leurs droits égaux et inaliénables constitue le fondement de la liberté";
    assert.equal((await scoreTextLanguages(french, available, 'Latin', 'eng'))[0]?.[0], 'fra');
    const shortFrench = 'Tous les etres humains naissent libres et egaux en dignite et en droits.';
    assert.equal((await scoreTextLanguages(shortFrench, available, 'Latin', 'eng'))[0]?.[0], 'fra');
  });

  it('keeps the letter-rate table as scripts/make-letter-rates.mjs writes it from the pinned udhr package', () => {
    const script = join(__dirname, '..', '..', '..', 'scripts', 'make-letter-rates.mjs');
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  it('takes no letter of the reading model\'s own alphabet as evidence against a language (Russian\'s ъ for Serbian\'s њ)', async () => {
    // The Russian model's reading of a rendered Serbian peek: ъ, ь and ) stand for њ, љ and ј, which it cannot write.
    const byRussian = 'пошто )е непоштоваъе и презираъе права човека водило варварским поступцима, ко]и су врефали савест човечанства, и пошто ]е ствараье света у ко]ем Ъе ъудска биБа';
    const share = (ranked: Array<[string, number]>, model: string) => ranked.find(([m]) => m === model)?.[1] ?? 0;
    const unknownReader = await scoreTextLanguages(byRussian, available, 'Cyrillic');
    const readByRussian = await scoreTextLanguages(byRussian, available, 'Cyrillic', 'rus');
    assert.ok(share(unknownReader, 'srp') < 0.97, `srp ${share(unknownReader, 'srp')}`);
    assert.ok(share(readByRussian, 'srp') > 0.99, `srp ${share(readByRussian, 'srp')}`);
  });

  it("reads the close runner-up where franc's leader is the model that read the band unsurely (Urdu read by Arabic's model), and names it when it reads clearly more surely", async () => {
    // The engines' readings of a rendered Urdu peek: Arabic's model writes ك, ى and ب for Urdu's ک, ی and ے, so franc
    // ranks Arabic first on its reading (Urdu 0.988).
    const byArabic = 'كى بنياد بج» جونكه انسانى حقوق س لايروائى اور ان كى ب حرمتى اكثر ايس وحشيانء افعال كى شكل مين ظابر بوئى ب جن س انسانيت كل ضمير';
    const byUrdu = 'کی بنیاد ہے چونکہ انسانی حقوق سے لاپروائی اور ان کی بے حرمتی اکثر ایسے وحشیانہ افعال کی شکل میں ظاہر ہوئی ہے جن سے انسانیت کے ضمیر';
    assert.equal((await scoreTextLanguages(byArabic, available, 'Arabic', 'ara'))[0]?.[0], 'ara');
    const urdu = fakeProbes({ ara: [byArabic, 0.83], urd: [byUrdu, 0.89] }, 'Arabic');
    assert.equal((await decideLanguage(urdu.input)).language, 'urd');
    assert.deepEqual(urdu.asked.slice(-2), ['ara', 'urd']);
    // A runner-up reading no more surely leaves franc's leader, and a sure reading is not doubted.
    assert.equal((await decideLanguage(fakeProbes({ ara: [byArabic, 0.83], urd: [byUrdu, 0.84] }, 'Arabic').input)).language, 'ara');
    const sure = fakeProbes({ ara: [byArabic, 0.95], urd: [byUrdu, 0.97] }, 'Arabic');
    assert.equal((await decideLanguage(sure.input)).language, 'ara');
    assert.ok(!sure.asked.includes('urd'), `read: ${sure.asked.join(', ')}`);
    // English's model writes its neighbours' letters: a close runner-up behind it is franc's doubt, and no other model
    // reads. The English band of a tiny table crop (franc: Dutch 0.971 of English), which Dutch's model had read 0.61.
    const table = 'Upper recturn 1,000 Middle rectum 1.267 0.3816-4.213 Law rectum 1.316 0419-7.026 Grade of differerniation age';
    const english = fakeProbes({ eng: [table, 0.58], nld: [table, 0.61] }, 'Latin');
    assert.equal((await decideLanguage(english.input)).language, 'eng');
    assert.deepEqual(english.asked, ['eng']);
  });

  it("names the language whose own model read the band clearly surest over franc's leader on the last reading (a Francoprovençal peek that franc ranks Haitian Creole on)", async () => {
    // The engines' readings of a rendered Francoprovençal peek (udhr oci_1, Fribourg; Tesseract has no model for it, and
    // Occitan's, its nearest, reads it best): franc ranks Occitan first on English's reading, then Haitian Creole first
    // on every other, Occitan's own among them.
    const readings: Record<string, [string, number]> = {
      eng: ["é dé ti lou dré paré é inkontechtabyo, 1’e le fondemin de la liberta, de la djuchtiche e de la pe din le mondo, Konchidérin ke la mékonyechanthe é le mépri di dré dé 1’Omo I’an mena adij’akchyon", 0.84],
      oci: ["è dè ti lou drê parê è inkontèchtâbyo, l'è le fondèmin dè la libèrtà, dè la djuchtiche eè dè la pe din le mondo, Konchidèrin ke la mèkonyechanthe è le mèpri di drê dè l'Omo l'an menâ a di j'akchyon", 0.91],
      ita: ["è dè ti lou drè paré è inkontèchtàbyo, l’è le fondèmin dé la libérta, dé la djuchtiche è de la pe din le mondo, Konchidèrin ke la mèkonyechanthe è le mèpri di dré dè l’Omo l’an menà a di j'akchyon °°", 0.87],
      hat: ["èdè ti lou drè paré è inkontèchtabyo, l'è le fondèmin dè la libèrta, dé la ajuchtiche é dé la pe din le mondo, Konchidèrin ke la mèkonyechanthe è le mèpri di dré dè 'Omo l'an mend a di j'akchyon", 0.88],
    };
    const { input, asked } = fakeProbes(readings, 'Latin');
    assert.equal((await decideLanguage(input)).language, 'oci', `read: ${asked.join(', ')}`);
    assert.deepEqual(asked.slice(0, 2), ['eng', 'oci']);
    // Haitian Creole's model reading about as surely as Occitan's leaves franc's ranking standing.
    const even = fakeProbes({ ...readings, hat: [readings.hat?.[0] ?? '', 0.9] }, 'Latin');
    assert.equal((await decideLanguage(even.input)).language, 'hat', `read: ${even.asked.join(', ')}`);
  });

  it("reads the band in Latin's script model where the page's language is unsure: names the language it finds where that language's model reads clearly more surely (Yoruba named Haitian Creole), reads the page in it where it reads far more surely than the language's own (Basque)", async () => {
    // The engines' readings of a rendered Yoruba peek: Haitian Creole's model, like English's, cannot write ẹ, ọ and ṣ,
    // and franc named the page from its reading; Latin's model writes them, and franc names Yoruba on its reading.
    const readings: Record<string, [string, number]> = {
      hat: ['ni, ni òktta ipilè fun òminira, idajo6 òdodo ati alaafla lagbaayé, Bi 6 ti jé pé aika awon èt6 omoniyan si ati ikégan awon èt6 wònyi ti se okunfa fan awon iwa', 0.86],
      Latin: ['ní, ni òkúta ìpìlẹ fún òmìnira, ìdájý òdodo àti àlàáfíà lágbàáyé, Bí ó ti jé pé àìka àwọn ẹ̀té ọmọnìyàn sí àti ìkégàn àwọn ẹ̀tó wònyí ti şe okùnfà fún àwọn ìwà', 0.83],
      yor: ['ní, ni òkúta ìpìlẹ̀ fún òmìnira, ìdájọ òdodo àti àlàáfíà lágbàáyé, Bí é ti jé pé àìka àwọn ẹ̀tọ ọmọnìyàn sí àti ìkégàn àwọn ẹ̀tọ wònyí ti ṣe okùnfà fún àwọn ìwà', 0.9],
    };
    const page = { text: readings.hat?.[0] ?? '', confidence: 0.88 };
    const unsure = fakeProbes(readings, 'Latin');
    assert.deepEqual(await scriptModelNames(unsure.input.probe, 'Latin', () => 'Latin', 'hat', page, available), { model: 'yor', language: 'yor' });
    assert.deepEqual(unsure.asked, ['Latin', 'hat', 'yor']);
    // Yoruba's model reading the band no more surely leaves the page as it was read.
    const even = fakeProbes({ ...readings, yor: [readings.yor?.[0] ?? '', 0.87] }, 'Latin');
    assert.equal(await scriptModelNames(even.input.probe, 'Latin', () => 'Latin', 'hat', page, available), null);
    // A page read surely, or named English (franc's choice on English's own reading), reads no other model; nor one
    // whose script model's reading has no letters the decided language lacks (Danish's æ, ø and å are Danish's).
    const sure = fakeProbes(readings, 'Latin');
    assert.equal(await scriptModelNames(sure.input.probe, 'Latin', () => 'Latin', 'hat', { ...page, confidence: 0.95 }, available), null);
    assert.equal(await scriptModelNames(sure.input.probe, 'Latin', () => 'Latin', 'eng', page, available), null);
    assert.deepEqual(sure.asked, []);
    // Basque's own model reads its pages far worse than Latin's (0.41 against 0.96 on this small page: CER 15.5% and 0.0%),
    // and franc names Basque on Latin's reading: the page is read in the script model.
    const basque = {
      eus: 'Kontuan zanik munduko askatazuna, (utzia eia bakoa giza ritako bide guztien berezko dutntOzunaan eia eskubide berdin eia ukngzinetan oinarritzen direla: Kontuan zanik giza eskubideak ez ezagutzaren eia gutiagotan ondorioz',
      Latin: 'duintasunean eta eskubide berdin eta ukaezinetan oinarritzen direla; Kontuan izanik giza eskubideak ez ezagutzearen eta gutxiestearen ondorioz, giza',
    };
    const poor = fakeProbes({ Latin: [basque.Latin, 0.96] }, 'Latin');
    assert.deepEqual(await scriptModelNames(poor.input.probe, 'Latin', () => 'Latin', 'eus', { text: basque.eus, confidence: 0.41 }, available), { model: 'Latin', language: 'eus' });
    assert.deepEqual(poor.asked, ['Latin']);
    assert.equal(await scriptModelNames(poor.input.probe, 'Latin', () => 'Latin', 'eus', { text: basque.eus, confidence: 0.85 }, available), null);
    const danish = 'Da anerkendelsen af den naturlige værdighed og de lige og ufortabelige rettigheder for alle medlemmer af den menneskelige familie er grundlaget for frihed, retfærdighed og fred i verden';
    const plain = fakeProbes({ Latin: [danish, 0.86], dan: [danish, 0.86], nor: [danish, 0.9] }, 'Latin');
    assert.equal(await scriptModelNames(plain.input.probe, 'Latin', () => 'Latin', 'dan', { text: danish, confidence: 0.86 }, available), null);
    assert.deepEqual(plain.asked, ['Latin']);
  });

  it("reads a Tatar page in Cyrillic's script model for Tatar: Tatar's own model writes Latin letters for its Cyrillic ones", async () => {
    // The engines' readings of a rendered small Tatar page: `auto` had it read best in Serbian's model (CER 19.6%);
    // Cyrillic's reads it at 0.2%, franc names Tatar on that reading, and Tatar's own reads it at 101%.
    const readings: Record<string, [string, number]> = {
      Cyrillic: ['Кешелек гаиләсенең бөтен әгъзаларына хас булган тигез һәм аерылгысыз хокукларны һәм кеше дәрәҗәсен тануның гаделлек һәм гомуни тынычлыкның нигезе икәнең истә тотып', 0.93],
      srp: ['Кешелек гаиласенен бетен огљзаларена хас булган тигез ћом аервштгвсвз хокукларнвг ћом кеше дорожесен тануннн гаделлек ћом гомуни теичлекнЕНн нигезе иконен исто ТОТБШ', 0.69],
      tat: ['Kenmrerrex ramrecenen Ooren oers3alapeprna xac Öylran THre3 hoM aepbUITBICBI3 XOKYKJIADHBI hem Keure I8p902KoCEH TAHYHPIH ralleJIJIeK h9M TOMYHHM TPIHBIUJIBIKHBH HHTe3e', 0.42],
    };
    const page = { text: readings.srp?.[0] ?? '', confidence: 0.69 };
    const tatar = fakeProbes(readings, 'Cyrillic');
    assert.deepEqual(await scriptModelNames(tatar.input.probe, 'Cyrillic', () => 'Cyrillic', 'srp', page, available), { model: 'Cyrillic', language: 'tat' });
    // The service's probe reads each model's band once (recognize-page.ts keeps them).
    assert.deepEqual([...new Set(tatar.asked)], ['Cyrillic', 'srp', 'tat']);
    // Tatar's model reading the band as surely as Cyrillic's would be read itself; a Russian page is left alone.
    const fixed = fakeProbes({ ...readings, tat: [readings.Cyrillic?.[0] ?? '', 0.94] }, 'Cyrillic');
    assert.deepEqual(await scriptModelNames(fixed.input.probe, 'Cyrillic', () => 'Cyrillic', 'srp', page, available), { model: 'tat', language: 'tat' });
    assert.equal(await scriptModelNames(fixed.input.probe, 'Cyrillic', () => 'Cyrillic', 'rus', page, available), null);
  });

  it('names the languages franc\'s smaller build left out (Icelandic, Welsh, Irish, Basque, Maltese, Luxembourgish, Breton)', async () => {
    // Their declarations' file names in `udhr` are their models' codes.
    for (const model of ['isl', 'cym', 'gle', 'eus', 'mlt', 'ltz', 'bre']) {
      const { input } = fakeProbes({ eng: [declarationExcerpt(model, 420), 0.9] }, 'Latin');
      assert.equal((await decideLanguage(input)).language, model);
    }
  });

  it('asks OSD before any English reading when the page cannot be upright Latin, and reads English only where OSD names Latin', async () => {
    const russian = 'Принимая во внимание, что признание достоинства, присущего всем членам человеческой семьи';
    const cyrillic = fakeProbes({ eng: ['Npunumasa no BHMMaHMe', 0.4], rus: [russian, 0.95] }, 'Cyrillic');
    const decision = await decideLanguage({ ...cyrillic.input, latinUnlikely: async () => true });
    assert.equal(decision.language, 'rus');
    assert.deepEqual(cyrillic.asked, ['rus']);
    const latin = fakeProbes({ eng: [FRENCH_PLAIN, 0.85], fra: [FRENCH, 0.93] }, 'Latin');
    assert.equal((await decideLanguage({ ...latin.input, latinUnlikely: async () => true })).language, 'fra');
    assert.deepEqual(latin.asked, ['eng']);
  });

  it("takes a sure glance's script without OSD's full look, reads an unsure glance's guess (its script's suggestions, two unread ones at most), and asks the full look when the glance's scripts read poorly", async () => {
    const telugu = 'మానవ కుటుంబ సభ్యులందరి సహజ గౌరవాన్ని సమాన హక్కులను గుర్తించడం ప్రపంచంలో స్వాతంత్ర్యానికి';
    const greek = 'Επειδή η αναγνώριση της αξιοπρέπειας που είναι σύμφυτη σε όλα τα μέλη της ανθρώπινης οικογένειας';
    const fullLooks = { n: 0 };
    const counted = (osd: string | null) => async () => (fullLooks.n++, osd);
    // Sure (Telugu read 0.58: it counts, as after OSD's full look, though it is not a clear reading).
    const sure = fakeProbes({ eng: ['x0 e0 o0', 0.22], tel: [telugu, 0.58] }, 'Telugu');
    const sureDecision = await decideLanguage({ ...sure.input, osdScript: counted('Telugu'), osdGlance: async () => ({ script: 'Telugu', sure: true }) });
    assert.equal(sureDecision.language, 'tel');
    assert.deepEqual(sure.asked, ['eng', 'tel']);
    assert.equal(fullLooks.n, 0);
    // Unsure and right: its script reads clearly.
    const guess = fakeProbes({ eng: ['Ene1dn n avayvwpion', 0.45], ell: [greek, 0.8] }, 'Greek');
    assert.equal((await decideLanguage({ ...guess.input, osdScript: counted('Greek'), osdGlance: async () => ({ script: 'Greek', sure: false }) })).language, 'ell');
    assert.equal(fullLooks.n, 0);
    // Unsure and right among its script's suggestions (Malayalam for Georgian, as OSD's full look
    // says too): read in their turn, without the full look.
    const georgian = 'ვინაიდან ადამიანთა ოჯახის ყველა წევრისათვის დამახასიათებელი ღირსების აღიარება';
    const neighbour = fakeProbes({ eng: ['3o6o0e0b', 0.3], mal: ['ვ ი ნ', 0.2], kat: [georgian, 0.96] }, 'Malayalam');
    assert.equal((await decideLanguage({ ...neighbour.input, osdScript: counted('Malayalam'), osdGlance: async () => ({ script: 'Malayalam', sure: false }) })).language, 'kat');
    assert.deepEqual(neighbour.asked, ['eng', 'mal', 'kat']);
    assert.equal(fullLooks.n, 0);
    // Unsure and wrong (Latin for a scanned Greek page): two of its suggestions at most are read
    // (Latin has eight), then the full look follows and names Greek.
    const wrong = fakeProbes({ eng: ['Ene1dn n avayvwpion', 0.39], hye: ['Եπ', 0.22], guj: ['એ', 0.41], ell: [greek, 0.8] }, 'Greek');
    assert.equal((await decideLanguage({ ...wrong.input, osdScript: counted('Greek'), osdGlance: async () => ({ script: 'Latin', sure: false }) })).language, 'ell');
    assert.deepEqual(wrong.asked, ['eng', 'hye', 'guj', 'ell']);
    assert.equal(fullLooks.n, 1);
    // An unsure glance at a script the page's shape rules out (Hebrew for a Sinhala page, as the
    // full look says too): its script is not read, the scripts OSD confuses with it are.
    const unlike = fakeProbes({ eng: SINHALA_IN_ENGLISH, sin: [SINHALA, 0.96] }, 'Hebrew');
    const unlikeInput = { ...unlike.input, osdScript: counted('Hebrew'), unlikeScripts: async () => ['Hebrew'], osdGlance: async () => ({ script: 'Hebrew', sure: false }) };
    assert.equal((await decideLanguage(unlikeInput)).language, 'sin');
    assert.deepEqual(unlike.asked, ['eng', 'sin']);
    assert.equal(fullLooks.n, 1);
    // Sure, but its script reads poorly (a turned page): the full look decides.
    const poor = fakeProbes({ eng: ['x0 e0 o0', 0.22], tel: [telugu, 0.2], ell: [greek, 0.8] }, 'Greek');
    assert.equal((await decideLanguage({ ...poor.input, osdScript: counted('Greek'), osdGlance: async () => ({ script: 'Telugu', sure: true }) })).language, 'ell');
    assert.equal(fullLooks.n, 2);
  });

  it("reads an unsure glance's suggestions to the end where OSD's full look names nothing (a line of Syriac)", async () => {
    // The engine's readings of the corpus's Syriac line (kraken_000236): glanced Arabic at 3.3, then
    // no script in the full look. Myanmar's 0.47 from the glance's two readings had decided Latin.
    const syriac = 'ܠܐ ܡܕܡ ܢܗܦܘܟ ܗܘܐ ܠܗ ܠܠܐ ܡܕܡ. ܝܬܝܖܪ ܕܐܣܗܕ';
    const line = fakeProbes(
      {
        eng: ['Imes by .paim WN ml cam moans mit lh', 0.44],
        ara: ['لى صحدمد ددوكعى وه لمه للك صجحدم. مطمة 33> هص', 0.3],
        mya: ['ရကၤလဏဂ 1. . ထာ ကလူ လီၤ ဇက ပဟလလကၤ ဝဟ ဂၤ', 0.47],
        amh: ['ጊ7:9፡"ዑ.. ጌ.ክ. . ክ=ጩ ዮሷኒላኣ ጩ ፐሮፖ6ስወ ላፍ ጋኋ-= ዮኒ', 0.41],
        syr: [syriac, 0.85],
      },
      null,
    );
    const decision = await decideLanguage({ ...line.input, osdGlance: async () => ({ script: 'Arabic', sure: false }) });
    assert.equal(decision.script, 'Syriac');
    assert.deepEqual(line.asked, ['eng', 'ara', 'mya', 'amh', 'syr']);
  });

  it("reads the scripts English takes for Latin where OSD names nothing and English half reads the page (a line of polytonic Greek)", async () => {
    // The engine's readings of a line of the corpus (gt4histcomment bsb10234118_0010_24).
    const line = fakeProbes({ eng: ['a6 F eoyov wis mégepyor éxmovotueda —', 0.41], ell: ['Ὁ.αὃ ὅ ἔργον ὡς πάρεργον ἐκπονούμεθα', 0.56] }, null);
    assert.equal((await decideLanguage(line.input)).script, 'Greek');
    assert.ok(!line.asked.some((model) => ['kor', 'chi_sim', 'jpn'].includes(model)), 'no square script read');
    assert.ok(line.asked.length <= 8, `read ${line.asked.join(',')}`);
    // A Korean page reads no better than 0.32 in English: OSD's silence still suggests the square scripts.
    const korean = fakeProbes({ eng: ['Al 2 Al Bt ol', 0.3], kor: ['모든 인류 구성원의 천부의 존엄성과 동등하고 양도할 수 없는 권리를', 0.9] }, null);
    assert.equal((await decideLanguage(korean.input)).script, 'Hangul');
    assert.deepEqual(korean.asked, ['eng', 'kor']);
  });

  it("reads polytonic Greek in Ancient Greek's model where it reads the band clearly more surely, and monotonic Greek in Modern Greek's only", async () => {
    // The engine's readings of a line of the corpus (gt4histcomment bsb10234118_0010_24): franc
    // knows Modern Greek only, and Modern Greek's model wrote six polytonic letters.
    const readings: Record<string, [string, number]> = {
      eng: ['a6 F eoyov wis mégepyor éxmovotueda —', 0.41],
      ell: ['Ὁ.αὃ ὅ ἔργον ὡς πάρεργον ἐκπονούμεθα', 0.56],
      grc: ['τὸ δ᾽ ἔργον ὡς πάρεργον ἐκπονούμεϑα', 0.73],
    };
    const line = fakeProbes(readings, null);
    const decision = await decideLanguage(line.input);
    assert.equal(decision.script, 'Greek');
    assert.equal(decision.language, 'grc');
    // Read no more surely in Ancient Greek's model: Modern Greek stays.
    const unsure = fakeProbes({ ...readings, grc: ['τὸ δ᾽ ἔργον ὡς πάρεργον', 0.5] }, null);
    assert.equal((await decideLanguage(unsure.input)).language, 'ell');
    // Monotonic Greek (the declaration) is not read in Ancient Greek's model.
    const modern = fakeProbes({ eng: ['Oloi ot dvOpwnot', 0.3], ell: ['Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα δικαιώματα', 0.92] }, 'Greek');
    assert.equal((await decideLanguage(modern.input)).language, 'ell');
    assert.ok(!modern.asked.includes('grc'), `read ${modern.asked.join(',')}`);
  });

  it("keeps Latin without every script's reading where English half read the page better than OSD's suggestions and the scripts it takes for Latin (handwriting)", async () => {
    // The engine's readings of a band of a handwritten English letter (stanford1905 Lettre251).
    const letter = fakeProbes(
      {
        eng: ['omuak tinal 6 ayou, whe knour Ovrnd.Linvled hand. Ataimfors', 0.38],
        hye: ['Չոամ- անն ժԸ Էտ աա, «5. Էոաշ ԱՖ Ած Նիդոծ. Տ»ՎԵոծ ԹՀ 400', 0.22],
        jpn: ['ovu ト rtuvoL 5 oe oo ky AALLokA Le taxesaS ao oe00', 0.2],
        chi_sim: ['oruak aeL 车 aeu woRe ba WA 人 we an Qaw 人 ns Bo we', 0.26],
      },
      'Japanese',
    );
    const decision = await decideLanguage(letter.input);
    assert.equal(decision.script, 'Latin');
    assert.ok(!letter.asked.includes('tha') && !letter.asked.includes('ara'), `read ${letter.asked.join(',')}`);
    // An Armenian page OSD called Japanese: Armenian is among the scripts English takes for Latin.
    const armenian = 'Քանի որ մարդկային ընտանիքի բոլոր անդամներին ներհատուկ արժանապատվության';
    const misnamed = fakeProbes({ eng: ['Fwuh np dwpnyuwjhu', 0.38], hye: [armenian, 0.9] }, 'Japanese');
    assert.equal((await decideLanguage(misnamed.input)).script, 'Armenian');
  });

  it("takes no script from a reading of figures where every script read unclearly (handwriting)", async () => {
    // The engine's readings of a French handwritten page of the corpus (copiste 0053_2): every
    // script read poorly, Gujarati's model best, writing digits for most strokes.
    const gujarati = '/ઈ#4 ઇજ - 53 જ છ - /ર ર૦ ૫૪૨ 42 મ્જ્થ થઈ ઈઇપ્દ ૪ .€% €#4/૫૪૦';
    const page = fakeProbes({ eng: ['(Ce pas fe a ai Ane, LSU a ovb nowrents yaue ARQ Aernt porte', 0.35], guj: [gujarati, 0.46] }, null);
    const decision = await decideLanguage(page.input);
    assert.equal(decision.script, 'Latin');
    assert.ok(page.asked.includes('guj') && page.asked.includes('tha'), 'every script read');
    // Gujarati's own letters at that confidence still name it.
    const letters = fakeProbes({ eng: ['(Ce pas fe a ai Ane', 0.35], guj: ['માનવ કુટુંબના સર્વ સભ્યોના સમાન', 0.46] }, null);
    assert.equal((await decideLanguage(letters.input)).script, 'Gujarati');
  });

  it('tells Japanese from Chinese by kana, reading the Chinese models only for a page without kana', async () => {
    const { input, asked } = fakeProbes({ eng: ['x', 0.2], chi_sim: ['人类社会的所有成员', 0.8], chi_tra: ['人類社會的所有成員', 0.7], jpn: ['人類社会のすべての構成員', 0.85] }, 'Japanese');
    assert.equal((await decideLanguage(input)).language, 'jpn');
    assert.deepEqual([...new Set(asked)], ['eng', 'jpn'], 'the engine caches a model read twice');
    const chinese = fakeProbes({ eng: ['x', 0.2], chi_sim: ['人类家庭所有成员的固有尊严', 0.9], chi_tra: ['人類家庭所有成員的固有尊嚴', 0.7], jpn: ['人類家庭所有成員', 0.8] }, 'Han');
    const decision = await decideLanguage(chinese.input);
    assert.equal(decision.script, 'Han');
    assert.equal(decision.language, 'chi_sim');
    // Simplified's model reads its own band this surely, a traditional one at 0.79 at most: the
    // traditional model is not read; below, it is, and the surer reading names the language.
    assert.ok(!chinese.asked.includes('chi_tra'), `read: ${chinese.asked.join(', ')}`);
    const traditional = fakeProbes({ eng: ['x', 0.2], chi_sim: ['人类家庭所有成员的固有尊严', 0.77], chi_tra: ['人類家庭所有成員的固有尊嚴', 0.91], jpn: ['人類家庭所有成員', 0.65] }, 'Han');
    assert.equal((await decideLanguage(traditional.input)).language, 'chi_tra');
    assert.ok(traditional.asked.includes('chi_tra'));
  });

  it("reads traditional Chinese's model first where the Japanese reading has the traditional forms of many characters", async () => {
    // Japanese's model read a traditional band with 14-20 traditional forms and 0-1 simplified.
    const jpnOfTraditional = '鑒於對人類家庭所有成員的固有尊嚴及其平等的和不移權利的承認乃是世界自由正義與和平的基礎鑒於對人權的無視和侮蔑已發展為野蠻暴行這些暴行玷污了人類的良心';
    const forms = hanForms(jpnOfTraditional);
    assert.ok(forms.traditional >= 8 && forms.simplified === 0, JSON.stringify(forms));
    const tra = '鑒於對人類家庭所有成員的固有尊嚴及其平等的和不移的權利的承認';
    // As on a page whose look is square: Japanese, then Han, then Korean, before OSD.
    const look = { latinUnlikely: async () => true, lookScripts: async () => ['Japanese', 'Han', 'Hangul'] };
    const sure = fakeProbes({ eng: ['x', 0.2], jpn: [jpnOfTraditional, 0.65], chi_tra: [tra, 0.89], chi_sim: ['鉴于对人类家庭所有成员的固有尊严', 0.77] }, 'Han');
    const decision = await decideLanguage({ ...sure.input, ...look });
    assert.equal(decision.language, 'chi_tra');
    assert.deepEqual([...new Set(sure.asked)], ['jpn', 'chi_tra'], 'simplified is not read after a reading this sure');
    // Its margin is over what traditional's model reads a simplified band at (0.84 at most).
    assert.equal(decision.languageConfidence, 0.5);
    // Not sure enough: simplified's model reads too, and the surer reading names the language.
    const unsure = fakeProbes({ eng: ['x', 0.2], jpn: [jpnOfTraditional, 0.65], chi_tra: [tra, 0.83], chi_sim: ['鉴于对人类家庭所有成员的固有尊严', 0.88] }, 'Han');
    assert.equal((await decideLanguage({ ...unsure.input, ...look })).language, 'chi_sim');
    assert.deepEqual([...new Set(unsure.asked)], ['jpn', 'chi_tra', 'chi_sim']);
    // A Japanese reading with simplified forms among them keeps simplified first.
    const simplified = fakeProbes({ eng: ['x', 0.2], jpn: ['人类社会的所有成员权利与义务发展为国际', 0.62], chi_sim: ['人类社会的所有成员', 0.88], chi_tra: [tra, 0.8] }, 'Han');
    assert.equal((await decideLanguage({ ...simplified.input, ...look })).language, 'chi_sim');
    assert.deepEqual([...new Set(simplified.asked)], ['jpn', 'chi_sim']);
  });

  it('takes the one script of a look that reads far better than its others, without OSD (Tibetan against Myanmar)', async () => {
    const tibetan = 'འགྲོ་བ་མིའི་རིགས་རྒྱུད་ཡོངས་ལ་སྐྱེས་ཙམ་ཉིད་ནས་ཆེ་མཐོངས་དང༌། ཐོབ་ཐངགི་རང་དབང་འདྲ་མཉམ་དུ་ཡོད་ལ།';
    let osdCalls = 0;
    const countedOsd = async () => (osdCalls++, 'Cyrillic');
    const look = async () => ['Tibetan', 'Myanmar'];
    const whole = fakeProbes({ bod: [tibetan, 0.62], mya: ['ဂ ဝ', 0.02] }, 'Cyrillic');
    const decision = await decideLanguage({ ...whole.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: look });
    assert.equal(decision.language, 'bod');
    assert.equal(decision.byLook, true, 'seen upright: no other angle is tried');
    assert.deepEqual(whole.asked, ['bod', 'mya']);
    assert.equal(osdCalls, 0);
    // An unsure English reading has only to be beaten: a Myanmar page read 0.45 in English.
    const myanmar = 'လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာ ဖြင့် လည်းကောင်း၊ တူညီလွတ်လပ်သော အခွင့်အရေးများ ဖြင့် လည်းကောင်း';
    const thin = fakeProbes({ eng: ['Hqo0 ee eo. 9 ep', 0.45], bod: ['ཀ ག', 0.11], mya: [myanmar, 0.56] }, 'Arabic');
    const thinDecision = await decideLanguage({ ...thin.input, osdScript: countedOsd, lookScripts: look });
    assert.equal(thinDecision.language, 'mya');
    assert.equal(osdCalls, 0);
    // Two of the look's scripts reading alike tell nothing: OSD is asked as before.
    const close = fakeProbes({ bod: [tibetan, 0.5], mya: [myanmar, 0.4] }, 'Tibetan');
    const closeDecision = await decideLanguage({ ...close.input, osdScript: countedOsd, latinUnlikely: async () => true, lookScripts: look });
    assert.equal(osdCalls, 1);
    assert.equal(closeDecision.byLook, undefined);
  });

  it('reads Lao after Thai only where the Thai reading lacks Thai\'s common words', async () => {
    const thai = 'โดยที่การยอมรับนับถือเกียรติศักดิ์ประจำตัว และสิทธิเท่าเทียมกันและโอนมิได้ของบรรดาสมาชิกทั้ง หลายแห่งครอบครัว มนุษย์เป็นหลักมูลเหตุแห่งอิสรภาพ ความยุติธรรม และสันติภาพในโลก';
    const page = fakeProbes({ eng: ['x', 0.1], tha: [thai, 0.94] }, 'Thai');
    assert.equal((await decideLanguage(page.input)).language, 'tha');
    assert.ok(!page.asked.includes('lao'), `read: ${page.asked.join(', ')}`);
  });
});

describe('stream tables on text layers', () => {
  /** Words of a table laid out in fixed columns, 10 px per character, 40 px word height. */
  function layout(rows: string[][], columnX: number[]): Word[] {
    const words: Word[] = [];
    rows.forEach((cells, r) => {
      cells.forEach((cell, c) => {
        let x = columnX[c]!;
        for (const text of cell.split(' ')) {
          words.push({ text, bbox: [x, 100 + r * 60, x + text.length * 10, 140 + r * 60], confidence: 1 });
          x += text.length * 10 + 12;
        }
      });
    });
    return words;
  }
  const rows = [
    ['Name', 'Party', 'Province', 'Vote'],
    ['Aldag, John', 'Liberal', 'Alberta', 'Yea'],
    ['Blanchet, Yves-Francois', 'Bloc', 'Newfoundland and Labrador', 'Nay'],
    ['Kwan, Jenny', 'NDP', 'Quebec', 'Yea'],
    ['May, Elizabeth', 'Green', 'Ontario', 'Yea'],
  ];
  // The longest name ends 22 px (about half a word height) before the party column, the longest party and province
  // 22 px before the next column: gaps a word-gap rule alone glues together.
  const x = [100, 354, 446, 722];

  it('splits cells glued by a narrow gap at the white space every row shares', () => {
    const [table] = detectTables(layout(rows, x), { horizontal: [], vertical: [] }, 1000, { eager: false, stream: true });
    assert.ok(table);
    assert.equal(table.cols, 4);
    const row2 = table.cells.filter((c) => c.row === 2).map((c) => c.text);
    assert.deepEqual(row2, ['Blanchet, Yves-Francois', 'Bloc', 'Newfoundland and Labrador', 'Nay']);
  });

  it('keeps word spaces that line up inside a column: they are narrower than a column gap', () => {
    const same = [['Item', 'Amount'], ['Tax A', '10'], ['Tax B', '20'], ['Tax C', '30']];
    const [table] = detectTables(layout(same, [100, 400]), { horizontal: [], vertical: [] }, 1000, { eager: true, stream: true });
    assert.ok(table);
    assert.equal(table.cols, 2);
  });
});

describe('lean script models for the native engine', () => {
  it("links every installed model and rebuilds Latin's without its word list, once, which Tesseract then reads with", async () => {
    const system = '/usr/share/tesseract-ocr/5/tessdata';
    const cache = mkdtempSync(join(tmpdir(), 'lean-'));
    try {
      const dir = await leanTessdata(system, cache);
      assert.equal(dir, join(cache, 'tessdata-lean'));
      assert.deepEqual(listLanguages(dir).map((l) => l.tesseract), available.map((l) => l.tesseract));
      const lean = statSync(join(dir, 'Latin.traineddata'));
      assert.ok(lean.size < statSync(join(system, 'Latin.traineddata')).size / 20, `lean Latin is ${lean.size} bytes`);
      // A copy left by a process killed while copying goes once it is old; one in progress stays.
      const stale = join(dir, 'Latin.traineddata.999999.tmp');
      const fresh = join(dir, 'Latin.traineddata.999998.tmp');
      writeFileSync(stale, 'partial');
      writeFileSync(fresh, 'partial');
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(stale, hourAgo, hourAgo);
      await leanTessdata(system, cache);
      assert.equal(statSync(join(dir, 'Latin.traineddata')).mtimeMs, lean.mtimeMs, 'rebuilt although the source did not change');
      assert.ok(!existsSync(stale), 'a stale copy was left');
      assert.ok(existsSync(fresh), 'a copy in progress was removed');
      const image = join(cache, 'line.png');
      await sharp(await renderPage('Bəşər ailəsinin bütün üzvlərinə xas olan ləyaqət hissinin', 'DejaVu Serif')).toFile(image);
      const read = spawnSync('tesseract', [image, '-', '-l', 'Latin', '--psm', '6'], { encoding: 'utf8', env: { ...process.env, TESSDATA_PREFIX: dir } });
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stdout, /ailəsinin bütün üzvlərinə/);
      // A directory that cannot be made leaves the engine on the installed models.
      writeFileSync(join(cache, 'file'), '');
      assert.equal(await leanTessdata(system, join(cache, 'file')), system);
      // A model file it cannot read as a traineddata is linked as it is.
      const odd = join(cache, 'odd');
      mkdirSync(odd);
      writeFileSync(join(odd, 'Latin.traineddata'), Buffer.from([24, 0, 0, 0, 1, 2, 3]));
      const oddLean = await leanTessdata(odd, join(cache, 'odd-cache'));
      assert.equal(readlinkSync(join(oddLean, 'Latin.traineddata')), join(odd, 'Latin.traineddata'));
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('page survey before the first reading', () => {
  const page = fixturePath('printed/ocrmypdf_linn.png');

  it("tells the engine the resolution a page's lines suggest only where the file's would make them tiny", async () => {
    const told = async (file: string, dpi: number) => engineResolution(dpi, await findTextLines(fixturePath(file)));
    // 793 x 1122 px: at 300 dpi its lines would be 3.6 pt, 4.3 pt apart; Tesseract's own estimate is 154.
    const small = await told('printed/ehri_EHRI-ET-WL1375B310_02.jpg', 300);
    assert.ok(small >= 135 && small <= 175, `small scan told ${small} dpi`);
    // Lines of 5.3 pt 11.3 pt apart at 300 dpi; a faint typewritten page whose profile finds only its
    // lines' cores (2.6 pt), 18 pt apart; and the small scan at a resolution that fits it.
    assert.equal(await told('printed/ehri_EHRI-BF-19380810_EN_01.jpg', 300), 300);
    assert.equal(await told('printed/ehri_EHRI-DR-19431025_DK_01.jpg', 300), 300);
    assert.equal(await told('printed/ehri_EHRI-ET-WL1375B310_02.jpg', 150), 150);
  });

  it('measures how far a colour scan is from grey (off-white paper is read as grey, yellow paper keeps its colours)', async () => {
    const chroma = async (file: string) => (await surveyPage(fixturePath(file))).chroma;
    assert.ok((await chroma('printed/ehri_EHRI-BF-19380810_EN_01.jpg')) < 1, 'a grey scan stored as colour');
    const offWhite = await chroma('printed/ehri_EHRI-ET-JMP011_04.jpg');
    assert.ok(offWhite > 5 && offWhite < 50, `off-white paper: ${offWhite}`);
    assert.ok((await chroma('printed/ehri_EHRI-DR-19431025_DK_01.jpg')) > 50, 'yellow paper');
  });

  it('tells a page whose light strokes a global threshold would drop (tinted paper in a dark border)', async () => {
    const tinted = await surveyPage(fixturePath('printed/ehri_EHRI-DR-19431025_DK_01.jpg'));
    assert.ok(tinted.globalThresholdLoss > 0.2, `tinted page loses ${tinted.globalThresholdLoss}`);
    for (const plain of ['printed/ocrmypdf_linn.png', 'printed/tess_phototest.tif', 'printed/ehri_EHRI-ET-JMP011_04.jpg']) {
      const { globalThresholdLoss } = await surveyPage(fixturePath(plain));
      assert.ok(globalThresholdLoss < 0.15, `${plain} loses ${globalThresholdLoss}`);
    }
  });

  it("tells from its lines' shapes a page that cannot be upright Latin and the scripts it looks like, and never a Latin page", async () => {
    // The Latin pages of the scripts test, clean and scanned, and the corpus's upright Latin pages.
    const latin = RENDERED_LANGUAGES.filter((l) => l.script === 'Latin');
    // Thin cores (Arabic, Tibetan), square ones (Chinese, Japanese, Korean), a headline (Marathi),
    // little ink outside the cores (Russian, Ukrainian, Bulgarian), Georgian's, Greek's, Sinhala's and
    // Armenian's shapes.
    const others = RENDERED_LANGUAGES.filter((l) => ['ara', 'fas', 'bod', 'chi_sim', 'chi_tra', 'jpn', 'kor', 'mar', 'rus', 'ukr', 'bul', 'kat', 'ell', 'sin', 'hye'].includes(l.model));
    assert.equal(others.length, 15);
    const dir = mkdtempSync(join(tmpdir(), 'shapes-'));
    try {
      for (const lang of [...latin, ...others]) {
        for (const scanned of [false, true]) {
          const file = join(dir, `${lang.model}-${scanned}.png`);
          const text = declarationExcerpt(lang.udhr, excerptLength(lang));
          writeFileSync(file, scanned ? await renderScannedPage(text, lang.font, lang.rtl) : await renderPage(text, lang.font, { rtl: lang.rtl }));
          const survey = await surveyPage(file);
          const shapes = `${survey.lines} lines, cores ${survey.coreShare.toFixed(2)}, headline ${survey.headline.toFixed(2)}`;
          // Told from Latin by its shapes, or by a look that names other scripts (read after English).
          assert.equal(latinUnlikely(survey) || scriptsByLook(survey).length > 0, lang.script !== 'Latin', `${lang.model}${scanned ? ' scanned' : ''}: ${shapes}`);
          // The look names the page's own script, and nothing on Latin pages.
          const named = lang.script === 'Latin' ? [] : [lang.script];
          assert.deepEqual(scriptsByLook(survey).filter((script) => script === lang.script), named, `${lang.model}${scanned ? ' scanned' : ''} look: ${shapes}`);
          if (lang.script === 'Latin') assert.deepEqual(scriptsByLook(survey), [], `${lang.model} look`);
          // No printed page of another script looks like a Latin hand.
          if (lang.script !== 'Latin') assert.equal(handwrittenLatin(survey), false, `${lang.model}${scanned ? ' scanned' : ''} hand: ${shapes}`);
        }
      }
      for (const upright of ['printed/ocrmypdf_linn.png', 'printed/tess_phototest.tif', 'printed/ehri_EHRI-ET-JMP011_04.jpg', 'printed/ehri_EHRI-ET-WL1375B310_02.jpg']) {
        const survey = await surveyPage(fixturePath(upright));
        assert.equal(latinUnlikely(survey), false, upright);
        assert.deepEqual(scriptsByLook(survey), [], upright);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells a Latin hand by its loops (much ink outside its cores, far more above than below), not a printed page of a script with as much ink outside", async () => {
    for (const hand of ['handwriting/copiste_wikitexte_0053_2.jpg', 'handwriting/stanford1905_Lettre251.jpg', 'handwriting/stanford1905_SC0033B_s4_b01_f14_i084.jpg']) {
      const survey = await surveyPage(fixturePath(hand));
      assert.equal(handwrittenLatin(survey), true, `${hand}: outside ink ${survey.outerInk.toFixed(3)}, balance ${survey.ascenderRatio.toFixed(2)}`);
    }
    // A hand of square cores with little ink outside them is not told (its look names the square scripts).
    assert.equal(handwrittenLatin(await surveyPage(fixturePath('handwriting/copiste_wikitexte_0240.jpg'))), false);
    for (const upright of ['printed/ocrmypdf_linn.png', 'printed/tess_phototest.tif', 'printed/ehri_EHRI-ET-WL1375B310_02.jpg']) {
      assert.equal(handwrittenLatin(await surveyPage(fixturePath(upright))), false, upright);
    }
    // The nearest printed pages of the 168 rendered: Arabic's clean ones (balance 2.07, outside ink
    // 0.373), Sinhala's (balance 4.99, outside 0.194), and the Latin hand at the bounds.
    const lettre = { ...BLANK_SURVEY, lines: 17, ascenderRatio: 2.8, coreShare: 0.585, headline: 1.22, outerInk: 0.232 };
    assert.equal(handwrittenLatin(lettre), true);
    assert.equal(handwrittenLatin({ ...lettre, ascenderRatio: 2.07, coreShare: 0.408, headline: 1, outerInk: 0.373 }), false);
    assert.equal(handwrittenLatin({ ...lettre, ascenderRatio: 4.99, coreShare: 0.55, headline: 1.02, outerInk: 0.194 }), false);
    // Too few lines to judge their shapes on.
    assert.equal(handwrittenLatin({ ...lettre, lines: 2 }), false);
  });

  it("does not rule out Latin on a sans or schoolbook face's x-line, which measures as a headline over Latin's cores", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faces-'));
    try {
      // Headlines of 1.32 and 1.39 (Devanagari's pages 1.3-1.49), on cores of 0.66 and 0.64 (its 0.47-0.58).
      for (const [udhr, font, length] of [['fra', 'DejaVu Sans', 700], ['nld', 'C059', 2100]] as const) {
        const file = join(dir, `${udhr}.png`);
        writeFileSync(file, await renderPage(declarationExcerpt(udhr, length), font));
        const survey = await surveyPage(file);
        assert.ok(survey.headline >= 1.3, `${udhr} in ${font}: headline ${survey.headline}`);
        assert.equal(latinUnlikely(survey), false, `${udhr} in ${font}: cores ${survey.coreShare}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Marathi's small page: the same headline over thin cores.
    assert.equal(latinUnlikely({ ...BLANK_SURVEY, lines: 4, ascenderRatio: 0.36, coreShare: 0.5, headline: 1.49, outerInk: 0.214 }), true);
  });

  it("rules out Latin on Myanmar's shape (cores of 0.51, a quarter of the ink outside them), not on Latin's extremes", () => {
    const myanmar = { ...BLANK_SURVEY, lines: 20, ascenderRatio: 0.61, coreShare: 0.51, headline: 1.21, outerInk: 0.259 };
    assert.equal(latinUnlikely(myanmar), true);
    // Its cores are wider than Tibetan's (0.31-0.39): Myanmar's model first.
    assert.deepEqual(scriptsByLook(myanmar), ['Myanmar', 'Tibetan']);
    // Latin's least cores (0.54), most ink outside them (0.23) and least balance (0.61), together.
    assert.equal(latinUnlikely({ ...myanmar, coreShare: 0.54, outerInk: 0.23 }), false);
    assert.equal(latinUnlikely({ ...myanmar, ascenderRatio: 1.2 }), false);
    assert.ok(!scriptsUnlike(myanmar).includes('Myanmar'));
    // A small Syriac page (cores 0.61), which a glance calls Arabic: Myanmar's model, Arabic's first
    // suggestion, is not read before the glance's others.
    assert.ok(scriptsUnlike({ ...BLANK_SURVEY, lines: 6, ascenderRatio: 7.26, coreShare: 0.61, headline: 1, outerInk: 0.073 }).includes('Myanmar'));
  });

  it("reads Tibetan's model first on lines hanging from a headline, Myanmar's on round letters without one", () => {
    // Tibetan's pages: headlines 1.20-1.30, cores 0.31-0.39; Myanmar's: headlines 1.05-1.12 (one page 1.21, cores 0.51).
    const tibetan = { ...BLANK_SURVEY, lines: 12, ascenderRatio: 0.62, coreShare: 0.39, headline: 1.2, outerInk: 0.31 };
    assert.deepEqual(scriptsByLook(tibetan), ['Tibetan', 'Myanmar']);
    assert.deepEqual(scriptsByLook({ ...tibetan, coreShare: 0.31, headline: 1.3 }), ['Tibetan', 'Myanmar']);
    const myanmar = { ...BLANK_SURVEY, lines: 7, ascenderRatio: 0.67, coreShare: 0.45, headline: 1.05, outerInk: 0.273 };
    assert.deepEqual(scriptsByLook(myanmar), ['Myanmar', 'Tibetan']);
    assert.deepEqual(scriptsByLook({ ...myanmar, coreShare: 0.37, headline: 1.12 }), ['Myanmar', 'Tibetan']);
  });

  it("reads Gurmukhi's model first under a headline over wide cores with much ink outside them, Devanagari's otherwise", () => {
    // Gurmukhi's pages: cores 0.54-0.58, outside ink 0.23-0.27; Devanagari's and Bengali's 0.47-0.52 and 0.15-0.22.
    const gurmukhi = { ...BLANK_SURVEY, lines: 6, ascenderRatio: 0.44, coreShare: 0.583, headline: 1.43, outerInk: 0.273 };
    assert.deepEqual(scriptsByLook(gurmukhi), ['Gurmukhi', 'Devanagari', 'Bengali']);
    assert.deepEqual(scriptsByLook({ ...gurmukhi, coreShare: 0.537, outerInk: 0.232 }), ['Gurmukhi', 'Devanagari', 'Bengali']);
    // The widest Devanagari cores (a scanned Marathi page) and the most ink outside them (a Hindi page).
    assert.deepEqual(scriptsByLook({ ...gurmukhi, coreShare: 0.522, outerInk: 0.154 }), ['Devanagari', 'Bengali', 'Gurmukhi']);
    assert.deepEqual(scriptsByLook({ ...gurmukhi, coreShare: 0.488, outerInk: 0.218 }), ['Devanagari', 'Bengali', 'Gurmukhi']);
  });

  it("reads Greek's model after English on Greek's shape, not on Latin's nearest pages", () => {
    // Greek's pages: balances 0.68-1.25, cores 0.56-0.62, outside ink 0.083-0.118.
    const greek = { ...BLANK_SURVEY, lines: 6, ascenderRatio: 0.98, coreShare: 0.62, headline: 1.17, outerInk: 0.083 };
    assert.deepEqual(scriptsByLook(greek), ['Greek']);
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 0.68, coreShare: 0.59, outerInk: 0.118 }), ['Greek']);
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 1.25, coreShare: 0.56, outerInk: 0.108 }), ['Greek']);
    // Hungarian pages (the Latin ones with the least ink above), a scanned Spanish page, a Serbian one.
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 0.61, coreShare: 0.54, outerInk: 0.115 }), []);
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 1.06, coreShare: 0.55, outerInk: 0.125 }), []);
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 1.2, coreShare: 0.68, outerInk: 0.073 }), []);
    assert.deepEqual(scriptsByLook({ ...greek, ascenderRatio: 1.13, coreShare: 0.61, outerInk: 0.074 }), []);
  });

  it("reads Sinhala's and Gujarati's models after English on their shape (far more ink above than below, no headline), Gujarati's first on the lower balances", () => {
    // Sinhala's pages: balances 2.74-4.99, cores 0.51-0.57, outside ink 0.127-0.194; Gujarati's 1.48-2.64.
    const sinhala = { ...BLANK_SURVEY, lines: 16, ascenderRatio: 3.5, coreShare: 0.56, headline: 1.0, outerInk: 0.155 };
    assert.deepEqual(scriptsByLook(sinhala), ['Sinhala', 'Gujarati']);
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 2.74, coreShare: 0.51, headline: 1.05, outerInk: 0.194 }), ['Sinhala', 'Gujarati']);
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 2.42, coreShare: 0.6, outerInk: 0.114 }), ['Gujarati', 'Sinhala']);
    // Vietnamese's and Polish's accents (headlines 1.11-1.18), a handwritten letter, an English scan.
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 2.42, coreShare: 0.58, headline: 1.18, outerInk: 0.127 }), []);
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 3.69, coreShare: 0.61, headline: 1.17, outerInk: 0.136 }), []);
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 2.8, coreShare: 0.58, headline: 1.22, outerInk: 0.232 }), []);
    assert.deepEqual(scriptsByLook({ ...sinhala, ascenderRatio: 1.65, coreShare: 0.57, headline: 1.05, outerInk: 0.12 }), []);
  });

  it("reads Armenian's model after English on Armenian's shape (thin cores, 17-18% of the ink outside them, as much above as below), not on Khmer's or a typewritten Danish page", () => {
    // Armenian's pages: cores 0.48-0.52, outside ink 0.173-0.184, balances 0.86-1.33, headlines 1.00.
    const armenian = { ...BLANK_SURVEY, lines: 18, ascenderRatio: 1.04, coreShare: 0.52, headline: 1.0, outerInk: 0.175 };
    assert.deepEqual(scriptsByLook(armenian), ['Armenian']);
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 0.86, coreShare: 0.48, outerInk: 0.184 }), ['Armenian']);
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 1.33, coreShare: 0.49, outerInk: 0.174 }), ['Armenian']);
    // Khmer's scans, a typewritten Danish page, a Hindi page (its headline), Georgian's more ink below.
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 1.18, coreShare: 0.52, headline: 1.07, outerInk: 0.158 }), []);
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 1.11, coreShare: 0.56, headline: 1.1, outerInk: 0.225 }), []);
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 0.85, headline: 1.44, outerInk: 0.184 }), ['Devanagari', 'Bengali', 'Gurmukhi']);
    assert.deepEqual(scriptsByLook({ ...armenian, ascenderRatio: 0.6, headline: 1.2, outerInk: 0.204 }), ['Georgian']);
  });

  it("rules out Latin on Georgian's shape (cores of 0.52, a fifth of the ink outside them, more below), not on Latin's extremes", () => {
    const georgian = { ...BLANK_SURVEY, lines: 19, ascenderRatio: 0.6, coreShare: 0.52, headline: 1.2, outerInk: 0.204 };
    assert.equal(latinUnlikely(georgian), true);
    // Georgian's model reads first, before OSD is asked (it calls Georgian pages Malayalam).
    assert.deepEqual(scriptsByLook(georgian), ['Georgian']);
    // The Latin page with the least balance (a Hungarian one), the one with the most ink outside its
    // cores (a typewritten Danish one), and the least cores measured (0.52: a scanned Hungarian page
    // re-encoded as PNG; 0.57 as the tests render it) with the rendered pages' most outside ink.
    assert.equal(latinUnlikely({ ...georgian, ascenderRatio: 0.61, coreShare: 0.54, outerInk: 0.115 }), false);
    assert.equal(latinUnlikely({ ...georgian, ascenderRatio: 1.11, coreShare: 0.56, outerInk: 0.225 }), false);
    assert.equal(latinUnlikely({ ...georgian, ascenderRatio: 0.61, coreShare: 0.52, outerInk: 0.149 }), false);
  });

  it("puts last among OSD's suggestions a script whose shape the page's lines are far from, never the page's own", async () => {
    // OSD calls Sinhala pages Hebrew, Georgian ones Malayalam, Gujarati ones Latin (whose first
    // suggestion is Armenian); the rest carry the shapes.
    const expected: Record<string, string> = { sin: 'Hebrew', kat: 'Malayalam', ell: 'Arabic', guj: 'Armenian' };
    const langs = RENDERED_LANGUAGES.filter((l) => ['sin', 'kat', 'ell', 'heb', 'mal', 'ara', 'kor', 'amh', 'guj', 'hye'].includes(l.model));
    assert.equal(langs.length, 10);
    const dir = mkdtempSync(join(tmpdir(), 'unlike-'));
    try {
      for (const lang of langs) {
        for (const scanned of [false, true]) {
          const file = join(dir, `${lang.model}-${scanned}.png`);
          const text = declarationExcerpt(lang.udhr, excerptLength(lang));
          writeFileSync(file, scanned ? await renderScannedPage(text, lang.font, lang.rtl) : await renderPage(text, lang.font, { rtl: lang.rtl }));
          const survey = await surveyPage(file);
          const unlike = scriptsUnlike(survey);
          const label = `${lang.model}${scanned ? ' scanned' : ''}: cores ${survey.coreShare.toFixed(2)}, outside ink ${survey.outerInk.toFixed(3)}, unlike ${unlike.join(' ')}`;
          assert.ok(!unlike.includes(lang.script), label);
          const contradicted = expected[lang.model];
          if (contradicted) assert.ok(unlike.includes(contradicted), label);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Read in turn: Sinhala before the Hebrew OSD named.
    const { input, asked } = fakeProbes({ eng: SINHALA_IN_ENGLISH, sin: [SINHALA, 0.96] }, 'Hebrew');
    assert.equal((await decideLanguage({ ...input, unlikeScripts: async () => ['Hebrew'] })).language, 'sin');
    assert.deepEqual(asked, ['eng', 'sin']);
  });

  it('measures the skew of a turned scan and the balance of its lines, from a small copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'survey-'));
    try {
      const upright = await surveyPage(page);
      assert.ok(Math.abs(upright.skew) < 0.5, `skew ${upright.skew}`);
      assert.ok(upright.lines >= 20, `${upright.lines} lines`);
      assert.ok(upright.ascenderRatio > 1, `ascender ratio ${upright.ascenderRatio}`);

      const skewed = join(dir, 'skewed.png');
      await sharp(page).rotate(3, { background: '#ffffff' }).toFile(skewed);
      const measured = (await surveyPage(skewed)).skew;
      assert.ok(Math.abs(measured - 3) <= 0.3, `skew ${measured}, turned by 3 degrees clockwise`);

      // A bilevel scan (as office scanners store pages) is told from a greyscale one.
      const bilevel = join(dir, 'bilevel.png');
      await sharp(page).greyscale().threshold(128).toFile(bilevel);
      assert.equal(await isBilevel(bilevel), true);
      assert.equal(await isBilevel(skewed), false);

      const flipped = join(dir, 'flipped.png');
      await sharp(page).rotate(180).toFile(flipped);
      const turned = await surveyPage(flipped);
      assert.ok(turned.lines >= 20 && turned.ascenderRatio < 0.45, `upside down: ratio ${turned.ascenderRatio} over ${turned.lines} lines`);

      // A page stored with an alpha channel (a screenshot, a PNG export) surveys as its pixels do:
      // its resized copy comes back premultiplied, which once read its text as all but white paper.
      const withAlpha = join(dir, 'alpha.png');
      await sharp(skewed).toColourspace('srgb').ensureAlpha().toFile(withAlpha);
      assert.equal((await sharp(withAlpha).metadata()).channels, 4);
      const [opaque, alpha] = [await pageThumbnail(skewed), await pageThumbnail(withAlpha)];
      const differing = alpha.data.filter((v, i) => Math.abs(v - (opaque.data[i] ?? 0)) > 2).length;
      assert.equal(differing, 0, `${differing} of ${alpha.data.length} thumbnail pixels differ`);
      assert.ok(Math.abs((await surveyPage(withAlpha)).skew - 3) <= 0.3);

      // A sideways page looked at turned back, in memory: upright one way, upside down the other.
      const sideways = join(dir, 'sideways.png');
      await sharp(page).rotate(270).toFile(sideways);
      const thumbnail = await pageThumbnail(sideways);
      const back = surveyThumbnail(turnThumbnail(thumbnail, 90));
      const wrongWay = surveyThumbnail(turnThumbnail(thumbnail, 270));
      assert.ok(back.lines >= 20 && back.ascenderRatio > 1 / 0.45, `turned back: ratio ${back.ascenderRatio} over ${back.lines} lines`);
      assert.ok(wrongWay.ascenderRatio < 0.45, `turned the wrong way: ratio ${wrongWay.ascenderRatio}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
