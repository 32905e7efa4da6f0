import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, PageContent } from '@ocr/domain';
import { alignLines, markdownToText, parseAnswer, parseMarkdown, placeModelBlocks, snippetBox, textSimilarity, verifyCitations } from '@ocr/ai';
import { layTranslation, translatedJobView, type JobView } from '@ocr/jobs';

function line(text: string, y: number): Block['lines'][number] {
  const words = text.split(' ').map((w, i) => ({ text: w, bbox: [100 + i * 100, y, 180 + i * 100, y + 30] as [number, number, number, number], confidence: 0.9 }));
  return { text, bbox: [100, y, 100 + words.length * 100 - 20, y + 30], confidence: 0.9, words };
}

function page(lines: string[]): PageContent {
  const ls = lines.map((t, i) => line(t, 100 + i * 50));
  return {
    width: 1000, height: 1000, dpi: 300, rotation: 0, skew: 0, source: 'ocr', languages: ['eng'],
    text: lines.join('\n'), markdown: '', mean_confidence: 0.9, warnings: [],
    blocks: [{ text: lines.join('\n'), bbox: [100, 100, 900, 100 + lines.length * 50], confidence: 0.9, kind: 'paragraph', lines: ls }],
  };
}

describe('model Markdown', () => {
  it('parses headings, lists, tables and paragraphs into plain lines', () => {
    const md = '# Title\n\nSome **bold** and `code`\nsecond line\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n$$\nx^2\n$$';
    const blocks = parseMarkdown(md);
    assert.deepEqual(blocks.map((b) => b.kind), ['heading', 'paragraph', 'list_item', 'list_item', 'paragraph', 'paragraph']);
    assert.deepEqual(blocks[1]!.lines, ['Some bold and code', 'second line']);
    assert.deepEqual(blocks[4]!.lines, ['a b', '1 2']);
    assert.equal(markdownToText('# T\n\nx'), 'T\n\nx');
  });
});

describe('aligning model lines to Tesseract lines', () => {
  it('matches by text, keeps order, and leaves an unmatched line estimated between its neighbours', () => {
    assert.ok(textSimilarity('Washington, DC.', 'Woohinglon, Re,') > textSimilarity('Washington, DC.', 'ed or even adequately'));
    const matches = alignLines(['alpha beta', 'gamma delta', 'epsilon zeta'], ['alpha beta', 'epsilon zeta']);
    assert.equal(matches[0]!.target, 0);
    assert.equal(matches[2]!.target, 1);
    assert.equal(matches[1]!.target, null);
    const blocks = placeModelBlocks(parseMarkdown('alpha beta\ngamma delta\nepsilon zeta'), page(['alpha beta', 'epsilon zeta']), 1000, 1000);
    const [a, g, e] = blocks[0]!.lines;
    assert.equal(a!.box_source, 'aligned');
    assert.equal(g!.box_source, 'estimated');
    assert.equal(g!.confidence, 0);
    assert.ok(g!.bbox[1] >= a!.bbox[3] && g!.bbox[3] <= e!.bbox[1], 'between its neighbours');
    assert.equal(blocks[0]!.box_source, 'aligned');
    assert.equal(blocks[0]!.confidence_source, 'alignment');
    assert.deepEqual(g!.words.map((w) => w.text), ['gamma', 'delta']);
  });

  it('uses ink bands when Tesseract found far fewer lines than the model read', () => {
    const ink: Array<[number, number, number, number]> = [[0, 100, 900, 150], [0, 200, 900, 250], [0, 300, 900, 350]];
    const blocks = placeModelBlocks(parseMarkdown('one\ntwo\nthree'), page(['three']), 1000, 1000, ink);
    assert.deepEqual(blocks[0]!.lines.map((l) => l.box_source), ['ink', 'ink', 'ink']);
    assert.deepEqual(blocks[0]!.lines.map((l) => l.bbox[1]), [100, 200, 300]);
  });
});

describe('citations', () => {
  const p = page(['Subtotal: 1037.50 EUR', 'Total due: 1234.63 EUR']);
  const pages = [{ page: 1, text: p.text, blocks: p.blocks }];

  it('keeps a verbatim quote with the box of its words, drops what is not on the page', () => {
    const { citations, dropped } = verifyCitations(
      [
        { page: 1, snippet: '"Total due: 1234.63 EUR"' },
        { page: 1, snippet: 'Total due: 99 EUR' },
        { page: 2, snippet: 'Total due: 1234.63 EUR' },
        { page: 1, snippet: 'Total   due: 1234.63 EUR' },
      ],
      pages,
    );
    assert.equal(citations.length, 1);
    assert.deepEqual(citations[0], { page: 1, snippet: 'Total due: 1234.63 EUR', bbox: [100, 150, 480, 180] });
    assert.equal(dropped.length, 2);
    assert.deepEqual(snippetBox('1234.63', p.blocks), [300, 150, 380, 180]);
  });

  it('reads the model JSON even when wrapped, and refuses non-JSON', () => {
    assert.deepEqual(parseAnswer('Here:\n```json\n{"answer": "42", "citations": [{"page": "2", "quote": "x y"}]}\n```'), {
      answer: '42',
      citations: [{ page: 2, snippet: 'x y' }],
    });
    assert.throws(() => parseAnswer('no json here'), /JSON/);
  });
});

describe('translation laid over the page', () => {
  it('puts translated paragraphs on the original blocks and substitutes the view', () => {
    const blocks = layTranslation(page(['a b', 'c d']).blocks, 'eins zwei\n\ndrei', 1000, 1000);
    assert.equal(blocks.length, 1);
    assert.deepEqual(blocks[0]!.lines.map((l) => l.text), ['eins zwei', 'drei']);
    assert.equal(blocks[0]!.box_source, 'translated');
    const content = page(['hello world']);
    const view: JobView = {
      uuid: 'u', status: 'done', tier: 'cpu', language: 'auto', tool: 'translate', translate_to: 'de', page_count: 1, pages_done: 1, pages_failed: 0,
      mean_confidence: 0.9, text: 'hello world', markdown: 'hello world', detected_languages: [], error: null, warnings: [], created_at: '', finished_at: null,
      pages: [{ ...content, index: 0, status: 'done', error: null, engine_ms: 1, translation: { language: 'de', text: 'hallo Welt', markdown: 'hallo Welt', model: 'm' } }],
    };
    const translated = translatedJobView(view);
    assert.equal(translated.text, 'hallo Welt');
    assert.equal(translated.pages[0]!.blocks[0]!.text, 'hallo Welt');
    assert.equal(translated.language, 'de');
  });
});
