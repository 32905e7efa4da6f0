import { unionBoxes, type BBox, type Block, type Line, type PageContent, type Word } from '@ocr/domain';
import { joinWords } from '@ocr/layout';
import type { MarkdownBlock } from './markdown';

/**
 * A model line is matched to a Tesseract line when text similarity and position agree this much.
 * Position weighs in because Tesseract reads handwriting as near-garbage: the line boxes are right
 * while their text barely resembles the model's.
 */
const MIN_MATCH_SCORE = 0.2;
const TEXT_WEIGHT = 0.7;

function bigrams(text: string): Map<string, number> {
  const s = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice coefficient of character bigrams, 0..1 (1: same letters in the same order). */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let total = 0;
  let shared = 0;
  for (const n of x.values()) total += n;
  for (const n of y.values()) total += n;
  for (const [g, n] of x) shared += Math.min(n, y.get(g) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

export interface LineMatch {
  /** Index into the Tesseract lines, or null when no line matched. */
  target: number | null;
  similarity: number;
}

/**
 * Monotonic alignment (Needleman-Wunsch without gap costs) of the model's lines to Tesseract's
 * lines in reading order: maximises the summed match score, so each side keeps its order.
 */
export function alignLines(model: readonly string[], ocr: readonly string[]): LineMatch[] {
  const n = model.length;
  const m = ocr.length;
  const score = (i: number, j: number): { s: number; sim: number } => {
    const sim = textSimilarity(model[i] ?? '', ocr[j] ?? '');
    const position = 1 - Math.abs((i + 0.5) / n - (j + 0.5) / m);
    return { s: TEXT_WEIGHT * sim + (1 - TEXT_WEIGHT) * position, sim };
  };
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const sims: number[][] = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const { s, sim } = score(i - 1, j - 1);
      sims[i - 1]![j - 1] = sim;
      const diag = s >= MIN_MATCH_SCORE ? dp[i - 1]![j - 1]! + s : -Infinity;
      dp[i]![j] = Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!, diag);
    }
  }
  const out: LineMatch[] = model.map(() => ({ target: null, similarity: 0 }));
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (dp[i]![j] === dp[i - 1]![j]) i--;
    else if (dp[i]![j] === dp[i]![j - 1]) j--;
    else {
      out[i - 1] = { target: j - 1, similarity: sims[i - 1]![j - 1]! };
      i--;
      j--;
    }
  }
  return out;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Words of a line spread over its box by character count (a model gives no word positions). */
function splitWords(text: string, box: BBox, confidence: number): Word[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const total = tokens.reduce((n, t) => n + t.length, 0) + Math.max(0, tokens.length - 1);
  const [x0, y0, x1, y1] = box;
  const width = x1 - x0;
  let offset = 0;
  return tokens.map((t) => {
    const start = x0 + Math.round((offset / Math.max(1, total)) * width);
    offset += t.length;
    const end = x0 + Math.round((offset / Math.max(1, total)) * width);
    offset += 1;
    return { text: t, bbox: [start, y0, Math.max(start, end), y1], confidence };
  });
}

interface PlacedLine {
  text: string;
  box: BBox | null;
  similarity: number;
}

/**
 * Boxes for lines no Tesseract line matched: the band between the aligned neighbours above and below,
 * shared equally, across the text's width. Without any aligned line, the whole text area.
 */
function fillGaps(lines: PlacedLine[], area: BBox): Array<{ box: BBox; estimated: boolean }> {
  const out: Array<{ box: BBox; estimated: boolean }> = [];
  let k = 0;
  while (k < lines.length) {
    const line = lines[k]!;
    if (line.box) {
      out.push({ box: line.box, estimated: false });
      k++;
      continue;
    }
    let end = k;
    while (end < lines.length && !lines[end]!.box) end++;
    const top = k > 0 ? lines[k - 1]!.box![3] : area[1];
    const bottom = end < lines.length ? lines[end]!.box![1] : area[3];
    const span = Math.max(0, bottom - top);
    const count = end - k;
    for (let g = 0; g < count; g++) {
      const y0 = Math.round(top + (span * g) / count);
      const y1 = Math.round(top + (span * (g + 1)) / count);
      out.push({ box: [area[0], y0, area[2], Math.max(y0, y1)], estimated: true });
    }
    k = end;
  }
  return out;
}

/**
 * The vision model's reading laid onto the page: its lines take the boxes of the Tesseract lines
 * they align with (same page image, same coordinates); blocks say how box and confidence came about.
 */
/** Use ink bands when Tesseract found fewer than this share of the model's lines. */
const INK_WHEN_OCR_LINES_BELOW = 0.8;

interface Target {
  text: string;
  bbox: BBox;
}

/**
 * The line boxes to align to: Tesseract's lines, or, when Tesseract dropped many lines (handwriting)
 * and the ink bands match the model's line count better, the ink bands, each carrying the text of the
 * Tesseract lines inside it for the similarity.
 */
function chooseTargets(ocrLines: readonly Line[], inkBoxes: readonly BBox[], modelCount: number): { targets: Target[]; ink: boolean } {
  const ocr = ocrLines.map((l) => ({ text: l.text, bbox: l.bbox }));
  const useInk =
    inkBoxes.length > 0 &&
    ocrLines.length < modelCount * INK_WHEN_OCR_LINES_BELOW &&
    Math.abs(inkBoxes.length - modelCount) < Math.abs(ocrLines.length - modelCount);
  if (!useInk) return { targets: ocr, ink: false };
  const targets = inkBoxes.map((bbox) => ({
    bbox,
    text: ocrLines
      .filter((l) => {
        const mid = (l.bbox[1] + l.bbox[3]) / 2;
        return mid >= bbox[1] && mid < bbox[3];
      })
      .map((l) => l.text)
      .join(' '),
  }));
  return { targets, ink: true };
}

export function placeModelBlocks(
  mdBlocks: readonly MarkdownBlock[],
  ocrPage: PageContent | null,
  width: number,
  height: number,
  inkBoxes: readonly BBox[] = [],
): Block[] {
  const ocrLines: Line[] = ocrPage ? ocrPage.blocks.flatMap((b) => b.lines) : [];
  const modelLines = mdBlocks.flatMap((b) => b.lines);
  const { targets, ink } = chooseTargets(ocrLines, inkBoxes, modelLines.length);
  const matches = alignLines(modelLines, targets.map((l) => l.text));
  const placed: PlacedLine[] = modelLines.map((text, i) => {
    const match = matches[i]!;
    return { text, box: match.target === null ? null : targets[match.target]!.bbox, similarity: match.similarity };
  });
  const area: BBox = targets.length > 0 ? unionBoxes(targets.map((l) => l.bbox)) : [0, 0, width, height];
  const matchedSource = ink ? 'ink' : 'aligned';
  const boxes = fillGaps(placed, area);

  const blocks: Block[] = [];
  let cursor = 0;
  for (const md of mdBlocks) {
    const lines: Line[] = [];
    let aligned = false;
    for (const text of md.lines) {
      const { box, estimated: est } = boxes[cursor]!;
      const confidence = est ? 0 : round4(placed[cursor]!.similarity);
      aligned ||= !est;
      const words = splitWords(text, box, confidence);
      lines.push({ text: joinWords(words.map((w) => w.text)) || text, bbox: box, confidence, words, box_source: est ? 'estimated' : matchedSource });
      cursor++;
    }
    if (lines.length === 0) continue;
    const confidence = round4(lines.reduce((s, l) => s + l.confidence, 0) / lines.length);
    blocks.push({
      text: lines.map((l) => l.text).join('\n'),
      bbox: unionBoxes(lines.map((l) => l.bbox)),
      confidence,
      kind: md.kind,
      ...(md.level !== undefined ? { level: md.level } : {}),
      lines,
      // 'aligned' when any line is (each line says which it is); 'estimated' when none is.
      box_source: aligned ? matchedSource : 'estimated',
      confidence_source: aligned ? 'alignment' : 'none',
    });
  }
  return blocks;
}
