/**
 * Signs that a reading is a model's own script, where confidence alone misleads: LSTM models
 * read foreign scripts with confidence by repeating a few of their glyphs, and the twins Thai and
 * Lao read each other's pages letter for letter.
 */

/** Readings with fewer characters than this are too short to judge. */
const MIN_CHARACTERS = 30;
/**
 * The commonest letter of real text, as read by its own model: at most 0.19 of the letters in 39
 * languages of 26 scripts (bands and small pages), a German typewritten band's English reading
 * 0.23. Syllabaries and ideographs spread far wider (Ethiopic 0.06, Han and Hangul 0.05-0.07), and
 * Ethiopic's models read a Myanmar page by repeating one syllable (0.21-0.42).
 */
const MAX_COMMONEST_SHARE = 0.3;
const MAX_COMMONEST_SYLLABLE_SHARE = 0.12;
/** Scripts with hundreds of signs, where no one sign makes up much of a text. */
const SYLLABIC_SCRIPTS = new Set(['Ethiopic', 'Han', 'Japanese', 'Hangul', 'Cherokee', 'Canadian_Aboriginal']);
/**
 * Letters (and their marks) among a reading's characters: text is mostly letters (Myanmar, whose
 * letter wa its model often reads as the digit zero, 0.43 and up); Thaana's model reads a Myanmar
 * page as currency signs and symbols (0.04).
 */
const MIN_LETTER_SHARE = 0.3;

/**
 * 1 for a reading whose characters look like text: mostly letters, none dominating; below 1 by
 * how far it is from that (a model reading a foreign script by repeating a few of its glyphs).
 */
export function letterSpread(text: string, script: string): number {
  const counts = new Map<string, number>();
  let characters = 0;
  let letters = 0;
  let lettersAndMarks = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    characters++;
    if (/\p{M}/u.test(ch)) lettersAndMarks++;
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    lettersAndMarks++;
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  if (characters < MIN_CHARACTERS) return 1;
  const letterShare = lettersAndMarks / characters;
  const commonest = letters === 0 ? 1 : Math.max(...counts.values()) / letters;
  const maxCommonest = SYLLABIC_SCRIPTS.has(script) ? MAX_COMMONEST_SYLLABLE_SHARE : MAX_COMMONEST_SHARE;
  return Math.min(1, letterShare / MIN_LETTER_SHARE) * Math.min(1, maxCommonest / commonest);
}

/**
 * Words of either language so common that any page of running text has them (Thai "การ", "ที่",
 * "และ"; their Lao cognates "ການ", "ທີ່", "ແລະ"). Each model reading the other's page turns them
 * into near-misses, so their density tells the twins apart when confidence does not: Lao's model
 * reads its own pages' bands at 0.10 (its phrases are long words), where Thai's reads them at 0.86.
 */
const THAI_WORDS = ['การ', 'ที่', 'และ', 'ของ', 'ใน', 'มี', 'เป็น', 'ได้', 'ความ', 'ไม่', 'จะ', 'ให้', 'กับ', 'ว่า', 'หรือ', 'โดย', 'นี้', 'คน', 'ทุก', 'แห่ง'];
const LAO_WORDS = ['ການ', 'ທີ່', 'ແລະ', 'ຂອງ', 'ໃນ', 'ມີ', 'ເປັນ', 'ໄດ້', 'ຄວາມ', 'ບໍ່', 'ຈະ', 'ໃຫ້', 'ກັບ', 'ວ່າ', 'ຫຼື', 'ໂດຍ', 'ນີ້', 'ຄົນ', 'ທຸກ', 'ແຫ່ງ'];

/** Fewer common Lao words per 100 characters than this is no Lao text (Lao pages 5.3-8.8, Thai ones 1.5-2.5). */
const MIN_LAO_WORDS = 3;

/** Common words per 100 characters of the text, its spaces (engine word breaks) removed. */
function commonWordDensity(text: string, words: readonly string[]): number {
  const joined = text.replace(/\s+/gu, '');
  if (joined.length === 0) return 0;
  let hits = 0;
  for (const word of words) hits += joined.split(word).length - 1;
  return (hits * 100) / joined.length;
}

/**
 * Whether Lao's reading of a page is more Lao than Thai's reading of it is Thai (measured on bands
 * and small pages, clean and degraded: Thai pages 9.7-11.1 Thai against 1.5-2.5 Lao; Lao pages
 * 5.3-8.8 Lao against 3.2-4.2 Thai).
 */
export function readsAsLao(thaiText: string, laoText: string): boolean {
  const lao = commonWordDensity(laoText, LAO_WORDS);
  return lao >= MIN_LAO_WORDS && lao > commonWordDensity(thaiText, THAI_WORDS);
}
