import { pdfFromObjects } from './pdf-objects';
/**
 * A born-digital voting record (name, party, province, vote) whose columns are separated by
 * narrow gaps (`gap` points, about two word spaces by default), as parliaments publish them:
 * the text layer alone must tell its four columns. Helvetica 9 pt, positioned with the font's
 * own widths; optional ruling lines between rows and columns (the lattice case).
 */

/** Helvetica advance widths (1/1000 em) of the characters used here. */
const WIDTHS: Readonly<Record<string, number>> = {
  ' ': 278, ',': 278, '.': 278, '-': 333, "'": 191,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833,
  n: 556, o: 556, p: 556, q: 556, r: 333, s: 500, t: 278, u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 500, K: 667, L: 556, M: 833,
  N: 722, O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
};

const SIZE = 9;

function textWidth(text: string): number {
  return ([...text].reduce((w, c) => w + (WIDTHS[c] ?? 556), 0) * SIZE) / 1000;
}

export const VOTING_RECORD: readonly (readonly [string, string, string, string])[] = [
  ['Name', 'Party', 'Province', 'Vote'],
  ['Aldag, John', 'Liberal', 'British Columbia', 'Yea'],
  ['Barrett, Michael', 'Conservative', 'Ontario', 'Nay'],
  ['Blanchet, Yves-Francois', 'Bloc Quebecois', 'Quebec', 'Nay'],
  ['Boulerice, Alexandre', 'NDP', 'Quebec', 'Yea'],
  ['Chagger, Bardish', 'Liberal', 'Ontario', 'Yea'],
  ['Dalton, Marc', 'Conservative', 'British Columbia', 'Nay'],
  ['Desjarlais, Blake', 'NDP', 'Alberta', 'Yea'],
  ['Fortin, Rheal', 'Bloc Quebecois', 'Quebec', 'Nay'],
  ['Gould, Karina', 'Liberal', 'Ontario', 'Yea'],
  ['Hallan, Jasraj Singh', 'Conservative', 'Alberta', 'Nay'],
  ['Hutchings, Gudie', 'Liberal', 'Newfoundland and Labrador', 'Yea'],
  ['Kwan, Jenny', 'NDP', 'British Columbia', 'Yea'],
  ['Lobb, Ben', 'Conservative', 'Ontario', 'Nay'],
  ['May, Elizabeth', 'Green', 'British Columbia', 'Yea'],
  ['McLeod, Michael', 'Liberal', 'Northwest Territories', 'Yea'],
  ['Patzer, Jeremy', 'Conservative', 'Saskatchewan', 'Nay'],
  ['Rempel Garner, Michelle', 'Conservative', 'Alberta', 'Nay'],
  ['Sajjan, Harjit', 'Liberal', 'British Columbia', 'Yea'],
  ['Thomas, Rachael', 'Conservative', 'Alberta', 'Nay'],
  ['Zarrillo, Bonita', 'NDP', 'British Columbia', 'Yea'],
];

function escapePdf(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
}

/** The page's content stream (font /F1 is Helvetica): the division's title, its table and its result. */
export function votingRecordOps(opts: { gap?: number; ruled?: boolean } = {}): string {
  const gap = opts.gap ?? 5;
  const x: number[] = [72];
  for (let col = 0; col < 3; col++) x.push(x[col]! + Math.max(...VOTING_RECORD.map((r) => textWidth(r[col]!))) + gap);
  const right = x[3]! + Math.max(...VOTING_RECORD.map((r) => textWidth(r[3])));
  const top = 700;
  const pitch = 13;
  const ops: string[] = ['BT /F1 14 Tf 72 740 Td (Recorded division No. 412: third reading of Bill C-27) Tj ET'];
  VOTING_RECORD.forEach((row, i) => {
    row.forEach((cell, col) => ops.push(`BT /F1 ${SIZE} Tf ${x[col]!.toFixed(2)} ${top - i * pitch} Td (${escapePdf(cell)}) Tj ET`));
  });
  if (opts.ruled) {
    const y = (i: number) => top - i * pitch + pitch - 3;
    ops.push('0.5 w');
    for (let i = 0; i <= VOTING_RECORD.length; i++) ops.push(`${72 - gap / 2} ${y(i)} m ${right + gap / 2} ${y(i)} l S`);
    for (const edge of [...x.map((v) => v - gap / 2), right + gap / 2]) ops.push(`${edge} ${y(0)} m ${edge} ${y(VOTING_RECORD.length)} l S`);
  }
  ops.push(`BT /F1 10 Tf 72 ${top - VOTING_RECORD.length * pitch - 30} Td (Yeas 11, Nays 9. The motion carried.) Tj ET`);
  return ops.join('\n');
}

export function votingRecordPdf(opts: { gap?: number; ruled?: boolean } = {}): Buffer {
  const stream = votingRecordOps(opts);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  return pdfFromObjects(objects);
}
