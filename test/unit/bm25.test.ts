import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25, chunkPages, extractiveAnswer, tokenize } from '@ocr/ai';

describe('BM25 retrieval', () => {
  it('tokenizes words and numbers, drops stopwords, splits Han characters', () => {
    assert.deepEqual(tokenize('What is the Total due? 1234.63 EUR'), ['total', 'due', '1234', '63', 'eur']);
    assert.deepEqual(tokenize('合计金额'), ['合', '计', '金', '额']);
  });

  it('ranks the chunk with the rare query words first, and ignores chunks without any', () => {
    const docs = ['the invoice total is due in march', 'binding and trimming of brochures', 'delivery to springfield', 'the the the the invoice'];
    const index = new Bm25(docs.map(tokenize));
    const top = index.top(tokenize('when is the total due'), 3);
    assert.equal(top[0]!.doc, 0);
    assert.ok(top.every((r) => r.doc !== 1 && r.doc !== 2));
    assert.ok(index.idf('invoice') < index.idf('march'), 'a word in more chunks weighs less');
  });

  it('cuts pages into chunks at line ends, each a piece of its page', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line number ${i} of the page`).join('\n');
    const chunks = chunkPages([{ page: 2, text }], 100);
    assert.ok(chunks.length > 5);
    for (const c of chunks) {
      assert.equal(c.page, 2);
      assert.ok(c.text.length <= 100);
      assert.ok(text.includes(c.text));
    }
  });

  it('answers extractively with the sentences sharing the most rare words', () => {
    const chunks = [
      { page: 1, text: 'Invoice from Nordlicht.\nCustomer: Acme Corp' },
      { page: 3, text: 'Total due: 1234.63 EUR\nPayment is due by 3 March 2024 by bank transfer.' },
    ];
    const index = new Bm25(chunks.map((c) => tokenize(c.text)));
    const answer = extractiveAnswer('When is payment due?', chunks, index, 1);
    assert.deepEqual(answer.citations, [{ page: 3, snippet: 'Payment is due by 3 March 2024 by bank transfer.' }]);
    assert.match(extractiveAnswer('zebra', chunks, index, 2).content, /does not seem to say/);
  });
});
