// Long PDFs for the benchmarks, made reproducibly from the corpus (same bytes on every run):
// - born-digital: the ground-truth text of the corpus's printed pages, wrapped into Helvetica lines
//   on US Letter pages (a real text layer, no images), as many pages as asked;
// - scanned: the corpus's printed page images, bilevel at 300 dpi, one per page, cycled.
// Written byte by byte (as test/support/invoice-pdf.ts does) so no document tool is needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { corpusDocuments } from './corpus.mjs';

function writePdf(path, pageObjects) {
  // pageObjects: [{ contents: Buffer, width, height, image?: { data, width, height } }]
  const objects = [];
  const add = (parts) => {
    objects.push(parts);
    return objects.length;
  };
  const stream = (dict, data) => [Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')];
  const catalog = add([]);
  const pages = add([]);
  const font = add([Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1')]);
  const kids = [];
  for (const p of pageObjects) {
    const image = p.image ? add(stream(`/Type /XObject /Subtype /Image /Width ${p.image.width} /Height ${p.image.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode`, p.image.data)) : null;
    const content = add(stream('', p.contents));
    const resources = image ? `/XObject << /Im0 ${image} 0 R >>` : `/Font << /F1 ${font} 0 R >>`;
    kids.push(add([Buffer.from(`<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${p.width} ${p.height}] /Resources << ${resources} >> /Contents ${content} 0 R >>`, 'latin1')]));
  }
  objects[catalog - 1] = [Buffer.from(`<< /Type /Catalog /Pages ${pages} 0 R >>`, 'latin1')];
  objects[pages - 1] = [Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`, 'latin1')];
  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = chunks[0].length;
  const offsets = [];
  objects.forEach((parts, i) => {
    offsets.push(size);
    for (const part of [Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), ...parts, Buffer.from('\nendobj\n', 'latin1')]) {
      chunks.push(part);
      size += part.length;
    }
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${size}\n%%EOF\n`;
  chunks.push(Buffer.from(tail, 'latin1'));
  writeFileSync(path, Buffer.concat(chunks));
}

const escape = (t) => t.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');

/** Latin-1 words of the corpus's printed ground truth (WinAnsi Helvetica shows them), in manifest order. */
function corpusWords() {
  const text = corpusDocuments(['printed'])
    .map((d) => d.truth)
    .join('\n');
  return text.split(/\s+/).filter((w) => w && /^[\x21-\x7e\xa0-\xff]+$/.test(w));
}

/** A born-digital PDF of `pages` pages of wrapped corpus text (52 lines of about 95 characters). */
export function bornDigitalPdf(path, pages) {
  const words = corpusWords();
  let next = 0;
  const pageObjects = [];
  for (let p = 0; p < pages; p++) {
    const lines = [];
    for (let l = 0; l < 52; l++) {
      let line = '';
      while (line.length < 90) line += (line ? ' ' : '') + words[next++ % words.length];
      lines.push(`BT /F1 10 Tf 54 ${738 - l * 13} Td (${escape(line)}) Tj ET`);
    }
    lines.push(`BT /F1 9 Tf 300 30 Td (${p + 1}) Tj ET`);
    pageObjects.push({ contents: Buffer.from(lines.join('\n'), 'latin1'), width: 612, height: 792 });
  }
  writePdf(path, pageObjects);
}

/** 8-bit grey pixels (0 or 255 after thresholding) packed 1 bit per pixel, rows padded to a byte (PDF's layout). */
function packBits(data, width, height) {
  const stride = Math.ceil(width / 8);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (data[y * width + x] >= 128) out[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return out;
}

/**
 * A scanned PDF of `pages` pages: the corpus's printed page images at 300 dpi, cycled, as an office
 * scanner stores them (bilevel, Flate-compressed: about 50 KiB a page, so 500 pages fit the default
 * upload limit as real scanned reports do).
 */
export async function scannedPdf(path, pages) {
  const sources = corpusDocuments(['printed']).filter((d) => !d.name.includes('rotated'));
  const images = [];
  for (const d of sources) {
    const { data, info } = await sharp(readFileSync(d.path)).grayscale().threshold(128).raw().toBuffer({ resolveWithObject: true });
    images.push({ data: deflateSync(packBits(data, info.width, info.height), { level: 9 }), width: info.width, height: info.height });
  }
  const pageObjects = [];
  for (let p = 0; p < pages; p++) {
    const image = images[p % images.length];
    const [w, h] = [(image.width * 72) / 300, (image.height * 72) / 300];
    pageObjects.push({ contents: Buffer.from(`q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} 0 0 cm /Im0 Do Q`, 'latin1'), width: w.toFixed(2), height: h.toFixed(2), image });
  }
  writePdf(path, pageObjects);
}
