import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BBox } from '@ocr/domain';
import { buildBlocks, joinLines, orderBlocks, renderMarkdown, renderText, type RawWord } from '@ocr/layout';

let block = 0;
/** One Tesseract paragraph of lines, each line's words laid out left to right at the given size. */
function paragraph(x: number, y: number, lines: string[], size = 30): RawWord[] {
  block++;
  return lines.flatMap((line, li) => {
    let cursor = x;
    return line.split(' ').map((text) => {
      const bbox: BBox = [cursor, y + li * size * 1.5, cursor + text.length * size * 0.5, y + li * size * 1.5 + size];
      cursor = bbox[2] + size * 0.4;
      return { text, bbox, confidence: 0.9, block, par: 1, line: li + 1 };
    });
  });
}

describe('layout', () => {
  it('finds headings by type size and keeps paragraphs', () => {
    const words = [
      ...paragraph(100, 50, ['Annual Report'], 70),
      ...paragraph(100, 200, ['This is the first line of body text', 'and this is its second line.']),
      ...paragraph(100, 330, ['Another paragraph of body text here.']),
    ];
    const blocks = buildBlocks(words);
    assert.deepEqual(blocks.map((b) => b.kind), ['heading', 'paragraph', 'paragraph']);
    assert.equal(blocks[0]?.level, 1);
    assert.equal(
      renderMarkdown(blocks),
      '# Annual Report\n\nThis is the first line of body text and this is its second line.\n\nAnother paragraph of body text here.',
    );
    assert.equal(renderText(blocks).split('\n\n').length, 3);
  });

  it('splits bulleted and numbered lines into list items', () => {
    const blocks = buildBlocks(paragraph(100, 100, ['• first item', '• second item', 'continues here', '1. numbered']));
    assert.deepEqual(blocks.map((b) => b.kind), ['list_item', 'list_item', 'list_item']);
    assert.equal(renderMarkdown(blocks), '- first item\n- second item continues here\n1. numbered');
  });

  it('reads two columns column by column, under a full-width title', () => {
    const words = [
      ...paragraph(100, 50, ['A title across both columns of the page'], 30),
      ...paragraph(100, 200, ['left one', 'left one b']),
      ...paragraph(900, 200, ['right one', 'right one b']),
      ...paragraph(100, 400, ['left two']),
      ...paragraph(900, 400, ['right two']),
    ];
    const order = orderBlocks(buildBlocks(words)).map((b) => b.lines[0]?.text);
    assert.deepEqual(order, ['A title across both columns of the page', 'left one', 'left two', 'right one', 'right two']);
  });

  it('mends words hyphenated across lines and escapes markdown syntax', () => {
    assert.equal(joinLines(['an exam-', 'ple of text']), 'an example of text');
    assert.equal(joinLines(['Jean-', 'Paul']), 'Jean- Paul');
    const blocks = buildBlocks(paragraph(100, 100, ['# not a heading *really*']));
    assert.equal(renderMarkdown(blocks), '\\# not a heading \\*really\\*');
  });
});
