import type { Affine, Line, PageContent } from '@ocr/domain';
import { ASCENT, DESCENT, GLYPH_ADVANCE } from './glyphless-font';

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

function hexUtf16(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

/** Two decimals of a pixel are far below what a viewer can show; fewer digits keep the layer small. */
const num = (n: number): string => (Math.abs(n) < 0.005 ? '0' : Number(n.toFixed(2)).toString());

/** A matrix as PDF operands; six decimals keep page-size products exact to well under a point. */
export const pdfMatrix = (m: Affine): string => m.map((n) => Number(n.toFixed(6))).join(' ');

/**
 * Text operators for one line: each word is stretched over its own box horizontally and over the
 * line's box vertically, so a selection highlights whole lines evenly and lands on the right words.
 * A real space stretched over the gap follows each word, so extractors split words where the
 * recognition did and the next word starts where the text position already is: only the first word,
 * and a change of direction, need a text matrix. Right-to-left words are written from their right
 * edge with a mirrored matrix, in logical order, so copying gives them in reading order.
 */
function lineOperators(line: Line, fontName: string): string[] {
  const [, top, , bottom] = line.bbox;
  const size = Math.max(1, bottom - top);
  const baseline = bottom - (size * DESCENT) / (ASCENT + DESCENT);
  const stretch = (width: number, chars: number) => num((100 * Math.max(1, width) * 1000) / (chars * GLYPH_ADVANCE * size));
  const words = line.words.filter((w) => w.text.trim());
  const out = [`/${fontName} ${num(size)} Tf`];
  let direction: 'ltr' | 'rtl' | null = null;
  words.forEach((word, i) => {
    const text = word.text.normalize('NFC');
    const [x0, , x1] = word.bbox;
    const rtl = RTL.test(text);
    let ops = '';
    if (direction !== (rtl ? 'rtl' : 'ltr')) {
      // Pixel space points down: the -1 keeps glyphs upright.
      ops = rtl ? `-1 0 0 -1 ${num(x1)} ${num(baseline)} Tm ` : `1 0 0 -1 ${num(x0)} ${num(baseline)} Tm `;
      direction = rtl ? 'rtl' : 'ltr';
    }
    ops += `${stretch(x1 - x0, text.length)} Tz<${hexUtf16(text)}>Tj`;
    const next = words[i + 1];
    const nextRtl = next ? RTL.test(next.text) : rtl;
    const gap = next && nextRtl === rtl ? (rtl ? x0 - next.bbox[2] : next.bbox[0] - x1) : 0;
    if (gap > 0) ops += ` ${stretch(gap, 1)} Tz<0020>Tj`;
    // Without a gap to fill, the next word needs its own matrix.
    else direction = null;
    out.push(ops);
  });
  return out;
}

/**
 * A content stream that writes the page's recognised words, invisible (render mode 3), with
 * `toUser` mapping the page's pixel coordinates (y down) to the PDF page's user space.
 */
export function textLayerStream(page: PageContent, toUser: Affine, fontName: string): string {
  const lines = page.blocks.flatMap((b) => b.lines.filter((l) => l.words.some((w) => w.text.trim())).flatMap((l) => lineOperators(l, fontName)));
  if (lines.length === 0) return '';
  return [`q ${pdfMatrix(toUser)} cm`, 'BT 3 Tr', ...lines, 'ET Q', ''].join('\n');
}
