import sharp from 'sharp';
import { engineDensity } from '@ocr/intake';
import type { RawWord } from '@ocr/layout';
import { scriptLetters, scriptShare } from './scripts';
import { engineImagePath, toEngineImage } from './transform';

// Words of a second script on a page read in one language: a French page citing Greek, an English
// commentary line quoting a Greek word. The page's model reads them as unsure Latin garbage; read
// with a second model beside the first (Tesseract's `fra+grc`), each word goes to the model that
// reads it more surely.

/** A script whose words pages of another script quote, and the model that reads them. */
export interface SecondScript {
  script: string;
  model: string;
  /**
   * Its capitals share Latin's shapes: a word of capitals tells nothing (the English model's unsure
   * "KINNEY" read 0.90 as Greek's ΚΙΝΝΕΥ), lowercase letters do.
   */
  lowercase: boolean;
}

/**
 * The second scripts looked for on a page decided in a script. Greek on Latin pages: on the
 * corpus's French page citing Greek, Sanskrit and Russian words (expo1878), `fra+grc` read 4.9% CER
 * against `fra`'s 6.5%, `fra+rus` 7.8% (Russian's model took French words for Cyrillic) and
 * `fra+grc+san+fas` 5.2%; on its English commentary lines quoting a Greek word, `eng+grc` 0.0%
 * against 14-20%. Ancient Greek's model: it reads polytonic words Modern Greek's misreads (a line's
 * ἔργον, πάρεργον, ποιούμεθα: 0.90-0.95 in it, none over 0.8 in Modern Greek's), and monotonic ones
 * as well (ἀδολεσχία 0.92 in both).
 */
export const SECOND_SCRIPTS: Readonly<Record<string, readonly SecondScript[]>> = {
  Latin: [{ script: 'Greek', model: 'grc', lowercase: true }],
};

/**
 * A word the page's model read below this is unsure: a second script's words read 0.00-0.57 in the
 * page's model on the corpus's pages and lines.
 */
const UNSURE_WORD = 0.6;
/**
 * A quoted word in another script comes out of the page's model as lowercase letters (ddoAecyia,
 * bvTos, zageQyov, émurdpodos): a word it read with figures, or mostly in capitals, is a code, a
 * name or an abbreviation (a receipt's MWST-BETRAG, KIRI, DVALA), and capitals tell nothing
 * (SecondScript.lowercase). Lowercase letters an unsure word needs.
 */
const MIN_LOWERCASE = 3;
/**
 * Unsure words stacked for the second model, the least sure first: the Greek words of the corpus's
 * French page were among its 12 least sure, and a receipt's 24 cost 200-380 ms in Greek's model.
 */
export const MAX_STACKED_WORDS = 12;
/**
 * A page read at least this surely, where unsure words stand out: the corpus's page and lines
 * quoting Greek read 0.83-0.91 in their language's model; its receipts and handwritten pages,
 * unsure all over, 0.66-0.76 and less (a receipt's 20-60 unsure words, none Greek, cost a reading
 * of the stack a fifth as long as the page's).
 */
export const SURE_PAGE = 0.8;
/**
 * A stacked word the second model reads this surely, in its script's letters (and lowercase ones
 * where capitals tell nothing), and this much more surely than the page's model did, is a word of
 * that script: the Greek words of the corpus's pages and lines read 0.81-0.97 in Ancient Greek's
 * model; no Latin word of its 43 printed pages, lines, tables and receipts, nor of its handwritten
 * ones, read over 0.8 in Greek letters but a name in capitals.
 */
const WORD_SURE = 0.8;
const SURER_BY = 0.3;
const MIN_SCRIPT_LETTERS = 3;
/** Share of a word's letters in the second script. */
const IN_SCRIPT = 0.6;

/** The page's unsure words that may be quoted words of another script (MIN_LOWERCASE), least sure first. */
export function unsureWords(words: readonly RawWord[]): RawWord[] {
  return words
    .filter((w) => w.confidence < UNSURE_WORD && mayBeQuoted(w.text))
    .sort((a, b) => a.confidence - b.confidence)
    .slice(0, MAX_STACKED_WORDS);
}

function mayBeQuoted(text: string): boolean {
  const lowercase = text.match(/\p{Ll}/gu)?.length ?? 0;
  return lowercase >= MIN_LOWERCASE && lowercase * 2 >= (text.match(/\p{L}/gu)?.length ?? 0) && !/\p{N}/u.test(text);
}

/** Words cut from a page and stacked one to a row, with the height of a row. */
export interface WordStack {
  path: string;
  rowHeight: number;
  /** Top margin above the first row. */
  top: number;
}

/** White around each word in its row: the engine finds words that touch their neighbours poorly. */
const ROW_MARGIN = 8;
/** The page around a word's box that its crop keeps (a letter's edge the box cut off). */
const CROP_MARGIN = 2;

/**
 * The words cut from `imagePath` and stacked one to a row on white, into workDir. The page is
 * decoded once, and the rows copied from its pixels.
 */
export async function stackWords(imagePath: string, words: readonly RawWord[], workDir: string): Promise<WordStack> {
  const input = sharp(imagePath, { limitInputPixels: false });
  const meta = await input.metadata();
  const { data: page, info } = await input.greyscale().raw().toBuffer({ resolveWithObject: true });
  const boxes = words.map(({ bbox: [x0, y0, x1, y1] }) => {
    const left = Math.max(0, Math.min(info.width - 1, x0 - CROP_MARGIN));
    const top = Math.max(0, Math.min(info.height - 1, y0 - CROP_MARGIN));
    return { left, top, width: Math.max(1, Math.min(info.width, x1 + CROP_MARGIN) - left), height: Math.max(1, Math.min(info.height, y1 + CROP_MARGIN) - top) };
  });
  const rowHeight = Math.max(1, ...boxes.map((b) => b.height)) + 2 * ROW_MARGIN;
  const width = Math.max(1, ...boxes.map((b) => b.width)) + 4 * ROW_MARGIN;
  const height = rowHeight * boxes.length + 2 * ROW_MARGIN;
  const stack = new Uint8Array(width * height).fill(255);
  boxes.forEach((box, i) => {
    const top = ROW_MARGIN + i * rowHeight + ROW_MARGIN;
    for (let y = 0; y < box.height; y++) {
      const from = (box.top + y) * info.width * info.channels;
      for (let x = 0; x < box.width; x++) stack[(top + y) * width + 2 * ROW_MARGIN + x] = page[from + (box.left + x) * info.channels] as number;
    }
  });
  const out = engineImagePath(workDir, 'words');
  await toEngineImage(sharp(stack, { raw: { width, height, channels: 1 } }), out, await engineDensity(imagePath, meta));
  return { path: out, rowHeight, top: ROW_MARGIN };
}

/**
 * The stacked words (`stacked`, in their rows' order) that `read`, the second model's reading of the
 * stack, reads as words of `second` (WORD_SURE, SURER_BY).
 */
export function wordsOfScript(read: readonly RawWord[], stacked: readonly RawWord[], stack: WordStack, second: SecondScript): RawWord[] {
  const found = new Set<RawWord>();
  for (const word of read) {
    const middle = (word.bbox[1] + word.bbox[3]) / 2;
    const source = stacked[Math.floor((middle - stack.top) / stack.rowHeight)];
    if (!source || word.confidence < WORD_SURE || word.confidence < source.confidence + SURER_BY) continue;
    const inScript = scriptLetters(word.text, second.script);
    const telling = second.lowercase ? inScript.filter((c) => /\p{Ll}/u.test(c)) : inScript;
    if (telling.length >= MIN_SCRIPT_LETTERS && scriptShare(word.text, second.script) >= IN_SCRIPT) found.add(source);
  }
  return [...found];
}
