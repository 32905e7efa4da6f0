import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Block } from '@ocr/domain';
import { exporterFor, type ExportContext } from '@ocr/export';
import type { JobView, PageView } from '@ocr/jobs';
import { corpusPath } from '../support/corpus';
import { auth, pollUntilFinished, submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

/**
 * hOCR and ALTO read back with an XML parser must give the job's words: same text, same boxes,
 * same confidences, page by page, in reading order.
 */

interface XmlNode {
  [tag: string]: XmlNode[] | Record<string, string> | string;
}

interface FoundWord {
  page: number;
  text: string;
  bbox: number[];
  confidence: number;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function attrs(node: XmlNode): Record<string, string> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function children(node: XmlNode): XmlNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? value : [];
}

function textOf(node: XmlNode): string {
  if (tagOf(node) === '#text') return String(node['#text']);
  return children(node).map(textOf).join('');
}

function walk(nodes: XmlNode[], visit: (node: XmlNode, ancestors: XmlNode[]) => void, ancestors: XmlNode[] = []): void {
  for (const node of nodes) {
    if (tagOf(node) === '#text') continue;
    visit(node, ancestors);
    walk(children(node), visit, [...ancestors, node]);
  }
}

function parse(xml: string): XmlNode[] {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `not well-formed XML: ${JSON.stringify(valid)}`);
  return parser.parse(xml) as XmlNode[];
}

function titleProps(title: string): Record<string, string> {
  return Object.fromEntries(title.split(';').map((p) => p.trim()).filter(Boolean).map((p) => [p.split(' ')[0]!, p.slice(p.indexOf(' ') + 1)]));
}

/** Words of an hOCR file, checking each sits in ocr_line > ocr_par > ocr_carea > ocr_page. */
function hocrWords(xml: string): { words: FoundWord[]; pages: Array<Record<string, string>> } {
  const words: FoundWord[] = [];
  const pages: Array<Record<string, string>> = [];
  walk(parse(xml), (node, ancestors) => {
    const cls = attrs(node)['class'];
    if (cls === 'ocr_page') pages.push(titleProps(attrs(node)['title'] ?? ''));
    if (cls !== 'ocrx_word') return;
    const chain = ancestors.map((a) => attrs(a)['class']).filter(Boolean);
    assert.deepEqual(chain, ['ocr_page', 'ocr_carea', 'ocr_par', 'ocr_line']);
    const props = titleProps(attrs(node)['title'] ?? '');
    words.push({
      page: pages.length - 1,
      text: textOf(node),
      bbox: (props['bbox'] ?? '').split(' ').map(Number),
      confidence: Number(props['x_wconf']),
    });
  });
  return { words, pages };
}

/** Strings of an ALTO file, and the SP count of each line (one fewer than its strings). */
function altoWords(xml: string): { words: FoundWord[]; pages: Array<Record<string, string>>; unit: string } {
  const words: FoundWord[] = [];
  const pages: Array<Record<string, string>> = [];
  let unit = '';
  walk(parse(xml), (node) => {
    const tag = tagOf(node);
    const a = attrs(node);
    if (tag === 'MeasurementUnit') unit = textOf(node);
    if (tag === 'Page') pages.push(a);
    if (tag === 'TextLine') {
      const kids = children(node).map(tagOf).filter((t) => t !== '#text');
      const strings = kids.filter((t) => t === 'String').length;
      assert.equal(kids.filter((t) => t === 'SP').length, strings - 1, 'one SP between two words');
      assert.ok(kids.every((t, i) => t === (i % 2 === 0 ? 'String' : 'SP')), 'String and SP alternate');
    }
    if (tag !== 'String') return;
    const [x, y, w, h] = [a['HPOS'], a['VPOS'], a['WIDTH'], a['HEIGHT']].map(Number) as [number, number, number, number];
    words.push({ page: pages.length - 1, text: a['CONTENT'] ?? '', bbox: [x, y, x + w, y + h], confidence: Number(a['WC']) });
  });
  return { words, pages, unit };
}

/** The job's words as either format should carry them (boxes whole pixels, confidence rounded). */
function jobWords(job: JobView, confidence: (c: number) => number): FoundWord[] {
  return job.pages.flatMap((page, p) =>
    page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => ({ page: p, text: w.text, bbox: w.bbox.map(Math.round), confidence: confidence(w.confidence) })))),
  );
}

// docx, hOCR and ALTO read nothing from the context (the original file is for pdf), so a minimal one does.
const CONTEXT = { inputKind: 'png', source: async () => null, scratchDir: '/tmp', options: {} } as ExportContext;

function assertRoundTrip(job: JobView, hocr: string, alto: string): void {
  const h = hocrWords(hocr);
  assert.equal(h.pages.length, job.pages.length);
  job.pages.forEach((page, i) => {
    if (page.width) assert.equal(h.pages[i]?.['bbox'], `0 0 ${page.width} ${page.height}`);
  });
  assert.deepEqual(h.words, jobWords(job, (c) => Math.round(c * 100)));

  const a = altoWords(alto);
  assert.equal(a.unit, 'pixel');
  assert.equal(a.pages.length, job.pages.length);
  job.pages.forEach((page, i) => {
    if (page.width) assert.deepEqual([a.pages[i]?.['WIDTH'], a.pages[i]?.['HEIGHT']], [String(page.width), String(page.height)]);
  });
  assert.deepEqual(a.words, jobWords(job, (c) => Math.round(c * 10_000) / 10_000));
}

function word(text: string, x: number, confidence = 0.91) {
  return { text, bbox: [x, 10, x + 40, 40] as [number, number, number, number], confidence };
}

function syntheticJob(): JobView {
  const words = [word('<b>', 10), word('&amp;', 60), word('"quoted"', 110), word("it's", 160, 1), word('naïve', 210, 0), word('中文', 260)];
  const block: Block = { kind: 'paragraph', text: '', bbox: [10, 10, 300, 40], confidence: 0.9, lines: [{ text: '', bbox: [10, 10, 300, 40], confidence: 0.9, words }] };
  const page: PageView = {
    index: 0, status: 'done', text: '', markdown: '', blocks: [block], error: null, engine_ms: 5,
    width: 400, height: 100, dpi: 300, languages: ['chi_sim'], mean_confidence: 0.7,
  };
  const failed: PageView = { index: 1, status: 'failed', text: '', markdown: '', blocks: [], error: 'undecodable', engine_ms: null };
  return {
    uuid: '00000000-0000-4000-8000-000000000000', status: 'done', tier: 'cpu', language: 'auto', tool: null, translate_to: null,
    page_count: 2, pages_done: 1, pages_failed: 1, mean_confidence: 0.7, text: '', markdown: '', detected_languages: ['chi_sim'],
    error: null, warnings: [], created_at: '2026-01-01T00:00:00Z', finished_at: null, pages: [page, failed],
  };
}

describe('hOCR and ALTO', () => {
  it('escape markup, drop characters XML cannot hold, and keep a failed page', async () => {
    const job = syntheticJob();
    const hocr = (await exporterFor('hocr').render(job, CONTEXT)).toString('utf8');
    const alto = (await exporterFor('alto').render(job, CONTEXT)).toString('utf8');
    assertRoundTrip(job, hocr, alto);
    assert.match(hocr, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD XHTML 1.0 Transitional\/\/EN"/);
    assert.match(hocr, /<html xmlns="http:\/\/www.w3.org\/1999\/xhtml"/);
    assert.match(hocr, /<meta name="ocr-capabilities" content="[^"]*ocrx_word[^"]*"\/>/);
    assert.match(hocr, /class="ocr_par" id="par_1_1" lang="chi-Hans"/, 'Tesseract codes become BCP 47 tags');
    assert.match(alto, /<TextBlock [^>]*LANG="chi-Hans"/);
    assert.match(alto, /<alto xmlns="http:\/\/www.loc.gov\/standards\/alto\/ns-v4#"/);
    assert.match(alto, /<Page ID="page_2" PHYSICAL_IMG_NR="2"\/>/);

    const control = syntheticJob();
    control.pages[0]!.blocks[0]!.lines[0]!.words[0]!.text = 'a\u0001b\u000c';
    const cleaned = (await exporterFor('alto').render(control, CONTEXT)).toString('utf8');
    assert.equal(XMLValidator.validate(cleaned), true);
    assert.match(cleaned, /CONTENT="ab"/);
  });

  describe('over HTTP', () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({ OCR_WORKERS: '2' });
    });
    after(async () => server.stop());

    for (const file of ['printed/tess_phototest.tif', 'pdf/ocrmypdf_cardinal.pdf']) {
      it(`give back the words and boxes of ${file}`, async () => {
        const res = await submit(server.baseUrl, { file: corpusPath(file), fields: { language: 'en' } });
        assert.ok(res.status === 200 || res.status === 202);
        const job = (await pollUntilFinished(server.baseUrl, ((await res.json()) as JobView).uuid)) as unknown as JobView;
        assert.equal(job.status, 'done');
        const base = `${server.baseUrl}/api/v1/ocr/${job.uuid}/download/`;
        const hocr = await fetch(`${base}?format=hocr`, { headers: auth() });
        assert.equal(hocr.status, 200);
        assert.match(hocr.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
        const alto = await fetch(`${base}?format=alto`);
        assert.equal(alto.status, 200);
        assert.match(alto.headers.get('content-type') ?? '', /^application\/xml/);
        const words = job.pages.reduce((n, p) => n + p.blocks.reduce((m, b) => m + b.lines.reduce((k, l) => k + l.words.length, 0), 0), 0);
        assert.ok(words > 50, `${file}: ${words} words`);
        assertRoundTrip(job, await hocr.text(), await alto.text());
      });
    }
  });
});
