import type { Line, Word } from '@ocr/domain';
import type { JobView, PageView } from '@ocr/jobs';
import type { Exporter } from '../exporter';
import { escapeXml, intBox, languageTag } from './xml';

/*
 * hOCR 1.2 (http://kba.github.io/hocr-spec/1.2/) as Tesseract writes it, so tools made for
 * Tesseract's hOCR (hocr-tools, OCRmyPDF's renderer, viewers) read ours: one ocr_page per page,
 * then ocr_carea > ocr_par > ocr_line > ocrx_word for each block. Boxes are pixels of the page as
 * processed (after rotation and deskew), the same coordinates as the JSON.
 */

const CAPABILITIES = 'ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang';

function title(...props: Array<string | null>): string {
  return escapeXml(props.filter((p): p is string => p !== null).join('; '));
}

function bbox(b: Word['bbox']): string {
  return `bbox ${intBox(b).join(' ')}`;
}

/** hOCR's x_wconf is a whole percentage. */
function wconf(confidence: number): string {
  return `x_wconf ${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}`;
}

function renderLine(line: Line, id: string, nextWordId: () => string): string {
  const words = line.words
    .map((w) => `<span class="ocrx_word" id="${nextWordId()}" title="${title(bbox(w.bbox), wconf(w.confidence))}">${escapeXml(w.text)}</span>`)
    .join(' ');
  return `     <span class="ocr_line" id="${id}" title="${title(bbox(line.bbox))}">${words}</span>`;
}

function renderPage(page: PageView, pageNo: number): string {
  const ids = { block: 0, line: 0, word: 0 };
  const p = pageNo + 1;
  const nextWordId = (): string => `word_${p}_${++ids.word}`;
  const lang = languageTag(page.languages?.[0]);
  const langAttr = lang ? ` lang="${escapeXml(lang)}"` : '';
  const size = page.width !== undefined && page.height !== undefined ? `bbox 0 0 ${page.width} ${page.height}` : null;
  const res = page.dpi ? `scan_res ${page.dpi} ${page.dpi}` : null;
  const out = [`  <div class="ocr_page" id="page_${p}" title="${title(size, `ppageno ${pageNo}`, res)}">`];
  for (const block of page.blocks) {
    const b = ++ids.block;
    out.push(`   <div class="ocr_carea" id="block_${p}_${b}" title="${title(bbox(block.bbox))}">`);
    out.push(`    <p class="ocr_par" id="par_${p}_${b}"${langAttr} title="${title(bbox(block.bbox))}">`);
    for (const line of block.lines) out.push(renderLine(line, `line_${p}_${++ids.line}`, nextWordId));
    out.push('    </p>', '   </div>');
  }
  out.push('  </div>');
  return out.join('\n');
}

function head(job: JobView, docLanguage: string | undefined): string[] {
  const docLang = languageTag(docLanguage) ?? 'en';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    `<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="${escapeXml(docLang)}" lang="${escapeXml(docLang)}">`,
    ' <head>',
    `  <title>OCR.chat job ${escapeXml(job.uuid)}</title>`,
    '  <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>',
    '  <meta name="ocr-system" content="OCR.chat"/>',
    `  <meta name="ocr-capabilities" content="${CAPABILITIES}"/>`,
    `  <meta name="ocr-number-of-pages" content="${job.page_count}"/>`,
    ' </head>',
    ' <body>',
  ];
}

const TAIL = [' </body>', '</html>', ''];

export function renderHocr(job: JobView): string {
  const docLanguage = job.pages.find((pg) => pg.languages?.length)?.languages?.[0];
  return [...head({ ...job, page_count: job.pages.length }, docLanguage), ...job.pages.map((page, i) => renderPage(page, i)), ...TAIL].join('\n');
}

export const hocrExporter: Exporter = {
  format: 'hocr',
  contentType: 'text/html; charset=utf-8',
  extension: 'hocr',
  render: async (job) => Buffer.from(renderHocr(job), 'utf8'),
  stream: async function* (job) {
    // The document's language is its first page's that has one: a look ahead that stops there.
    let docLanguage: string | undefined;
    for await (const page of job.pages()) {
      docLanguage = page.languages?.[0];
      if (docLanguage) break;
    }
    yield head(await job.view(), docLanguage).join('\n');
    let i = 0;
    for await (const page of job.pages()) yield `\n${renderPage(page, i++)}`;
    yield `\n${TAIL.join('\n')}`;
  },
};
