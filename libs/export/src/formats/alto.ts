import type { Line } from '@ocr/domain';
import type { JobView, PageView } from '@ocr/jobs';
import type { Exporter } from '../exporter';
import { escapeXml, intBox, languageTag } from './xml';

/*
 * ALTO v4 (schema 4.2, https://www.loc.gov/standards/alto/): MeasurementUnit pixel, one Page per
 * page with a PrintSpace covering it, TextBlock > TextLine > String per block, SP for the gap
 * between two words. Coordinates are pixels of the page as processed, like the JSON boxes.
 */

const NS = 'http://www.loc.gov/standards/alto/ns-v4#';
const SCHEMA = 'http://www.loc.gov/standards/alto/v4/alto-4-2.xsd';

/** HPOS/VPOS/WIDTH/HEIGHT of a box, as ALTO attributes. */
function geometry(box: Line['bbox']): string {
  const [x0, y0, x1, y1] = intBox(box);
  return `HPOS="${x0}" VPOS="${y0}" WIDTH="${x1 - x0}" HEIGHT="${y1 - y0}"`;
}

function confidence(c: number): string {
  return String(Math.round(Math.min(1, Math.max(0, c)) * 10_000) / 10_000);
}

function renderLine(line: Line, id: string, nextStringId: () => string): string[] {
  const out = [`     <TextLine ID="${id}" ${geometry(line.bbox)}>`];
  const lineTop = intBox(line.bbox)[1];
  line.words.forEach((word, i) => {
    const previous = line.words[i - 1];
    if (previous) {
      // SP spans the gap between the two words; overlapping boxes (italics, noise) give width 0.
      const end = intBox(previous.bbox)[2];
      const next = intBox(word.bbox)[0];
      out.push(`      <SP HPOS="${end}" VPOS="${lineTop}" WIDTH="${Math.max(0, next - end)}"/>`);
    }
    out.push(`      <String ID="${nextStringId()}" ${geometry(word.bbox)} CONTENT="${escapeXml(word.text)}" WC="${confidence(word.confidence)}"/>`);
  });
  out.push('     </TextLine>');
  return out;
}

function renderPage(page: PageView, pageNo: number): string[] {
  const p = pageNo + 1;
  const ids = { block: 0, line: 0, string: 0 };
  const nextStringId = (): string => `p${p}_w${++ids.string}`;
  const lang = languageTag(page.languages?.[0]);
  const langAttr = lang ? ` LANG="${escapeXml(lang)}"` : '';
  // A failed page has no size; ALTO allows a Page without WIDTH/HEIGHT and without PrintSpace.
  if (page.width === undefined || page.height === undefined) return [`  <Page ID="page_${p}" PHYSICAL_IMG_NR="${p}"/>`];
  const pc = page.mean_confidence !== undefined ? ` PC="${confidence(page.mean_confidence)}"` : '';
  const out = [
    `  <Page ID="page_${p}" PHYSICAL_IMG_NR="${p}" WIDTH="${page.width}" HEIGHT="${page.height}"${pc}>`,
    `   <PrintSpace HPOS="0" VPOS="0" WIDTH="${page.width}" HEIGHT="${page.height}">`,
  ];
  for (const block of page.blocks) {
    out.push(`    <TextBlock ID="p${p}_b${++ids.block}" ${geometry(block.bbox)}${langAttr}>`);
    // ALTO requires at least one String in a TextLine.
    for (const line of block.lines) if (line.words.length > 0) out.push(...renderLine(line, `p${p}_l${++ids.line}`, nextStringId));
    out.push('    </TextBlock>');
  }
  out.push('   </PrintSpace>', '  </Page>');
  return out;
}

const HEAD = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  `<alto xmlns="${NS}" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS} ${SCHEMA}" SCHEMAVERSION="4.2">`,
  ' <Description>',
  '  <MeasurementUnit>pixel</MeasurementUnit>',
  '  <Processing ID="ocr_1">',
  '   <processingCategory>contentGeneration</processingCategory>',
  '   <processingStepDescription>OCR</processingStepDescription>',
  '   <processingSoftware>',
  '    <softwareName>OCR.chat</softwareName>',
  '   </processingSoftware>',
  '  </Processing>',
  ' </Description>',
  ' <Layout>',
];

const TAIL = [' </Layout>', '</alto>', ''];

export function renderAlto(job: JobView): string {
  return [...HEAD, ...job.pages.flatMap((page, i) => renderPage(page, i)), ...TAIL].join('\n');
}

export const altoExporter: Exporter = {
  format: 'alto',
  contentType: 'application/xml; charset=utf-8',
  extension: 'xml',
  render: async (job) => Buffer.from(renderAlto(job), 'utf8'),
  stream: async function* (job) {
    yield HEAD.join('\n');
    let i = 0;
    for await (const page of job.pages()) yield `\n${renderPage(page, i++).join('\n')}`;
    yield `\n${TAIL.join('\n')}`;
  },
};
