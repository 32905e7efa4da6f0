import type { Affine, Line, PageContent } from '@ocr/domain';
import { ASCENT, DESCENT, GLYPH_ADVANCE } from './glyphless-font';

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

function hexUtf16(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

const num = (n: number): string => (Math.abs(n) < 1e-6 ? '0' : Number(n.toFixed(4)).toString());

/**
 * Text operators for one line: each word is stretched over its own box horizontally and over the
 * line's box vertically, so a selection highlights whole lines evenly and lands on the right words.
 * Right-to-left words are written from their right edge with a mirrored text matrix, in logical
 * order, so copying them gives the characters in reading order.
 */
function lineOperators(line: Line, fontName: string): string[] {
  const [, top, , bottom] = line.bbox;
  const size = Math.max(1, bottom - top);
  const baseline = bottom - (size * DESCENT) / (ASCENT + DESCENT);
  const stretch = (width: number, chars: number) => num((100 * Math.max(1, width) * 1000) / (chars * GLYPH_ADVANCE * size));
  const words = line.words.filter((w) => w.text.trim());
  return words.map((word, i) => {
    const text = word.text.normalize('NFC');
    const [x0, , x1] = word.bbox;
    const rtl = RTL.test(text);
    // Pixel space points down: the -1 keeps glyphs upright.
    const matrix = rtl ? `-1 0 0 -1 ${num(x1)} ${num(baseline)}` : `1 0 0 -1 ${num(x0)} ${num(baseline)}`;
    let ops = `/${fontName} ${num(size)} Tf ${stretch(x1 - x0, text.length)} Tz ${matrix} Tm <${hexUtf16(text)}> Tj`;
    // A real space fills the gap to the next word: extractors then split words where the
    // recognition did, even where the printed gap is narrow.
    const next = words[i + 1];
    const gap = next ? (rtl ? x0 - next.bbox[2] : next.bbox[0] - x1) : 0;
    if (gap > 0) ops += ` ${stretch(gap, 1)} Tz <0020> Tj`;
    return ops;
  });
}

/**
 * A content stream that writes the page's recognised words, invisible (render mode 3), with
 * `toUser` mapping the page's pixel coordinates (y down) to the PDF page's user space.
 */
export function textLayerStream(page: PageContent, toUser: Affine, fontName: string): string {
  const lines = page.blocks.flatMap((b) => b.lines.flatMap((l) => lineOperators(l, fontName)));
  if (lines.length === 0) return '';
  return [`q ${toUser.map(num).join(' ')} cm`, 'BT 3 Tr', ...lines, 'ET Q', ''].join('\n');
}
