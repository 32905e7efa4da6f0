import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFString, type PDFContext, type PDFObject, type PDFRef } from 'pdf-lib';

/**
 * The invisible text layer uses a font whose every glyph is blank (Tesseract's GlyphLessFont, shipped
 * as `pdf.ttf` beside its language data): text is searchable and selectable, never drawn. Character
 * codes are the UTF-16 code units of the text (Identity-H), so the ToUnicode map is the identity and
 * copying gives back exactly the recognised text.
 */
const FONT_CANDIDATES = [
  '/usr/share/tesseract-ocr/5/tessdata/pdf.ttf',
  '/usr/share/tesseract-ocr/4.00/tessdata/pdf.ttf',
  '/usr/share/tessdata/pdf.ttf',
];

/** Glyph advance in font units (of 1000): the text layer stretches each word to its box with Tz. */
export const GLYPH_ADVANCE = 500;
/** Ascent and descent (font units) of the glyph box; a word's box is [baseline - ascent, baseline + descent]. */
export const ASCENT = 800;
export const DESCENT = 200;

function findGlyphlessFont(tessdataDir: string | null): Buffer | null {
  const candidates = tessdataDir ? [join(tessdataDir, 'pdf.ttf'), ...FONT_CANDIDATES] : FONT_CANDIDATES;
  const found = candidates.find((p) => existsSync(p));
  return found ? readFileSync(found) : null;
}

const TO_UNICODE_CMAP = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`;

/** Registers the text-layer font in the document's context and returns its reference. */
export function embedGlyphlessFont(ctx: PDFContext, tessdataDir: string | null): PDFRef {
  const ttf = findGlyphlessFont(tessdataDir);
  const descriptor: Record<string, PDFObject | string | number | number[]> = {
    Type: 'FontDescriptor',
    FontName: 'GlyphLessFont',
    Flags: 5,
    FontBBox: [0, -DESCENT, GLYPH_ADVANCE, ASCENT],
    ItalicAngle: 0,
    Ascent: ASCENT,
    Descent: -DESCENT,
    CapHeight: ASCENT,
    StemV: 80,
  };
  if (ttf) descriptor['FontFile2'] = ctx.register(ctx.flateStream(ttf, { Length1: ttf.length }));
  // Every code maps to glyph 1, the blank glyph of the font.
  const cidToGid = Buffer.alloc(65536 * 2);
  for (let i = 1; i < cidToGid.length; i += 2) cidToGid[i] = 1;
  const cidFont = ctx.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: 'GlyphLessFont',
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: ctx.register(ctx.obj(descriptor)),
    DW: GLYPH_ADVANCE,
    CIDToGIDMap: ctx.register(ctx.flateStream(cidToGid)),
  });
  return ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'GlyphLessFont',
      Encoding: 'Identity-H',
      DescendantFonts: [ctx.register(cidFont)],
      ToUnicode: ctx.register(ctx.flateStream(TO_UNICODE_CMAP)),
    }),
  );
}
