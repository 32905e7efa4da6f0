import { AppError, unionBoxes, type BBox, type Block, type Line, type Word } from '@ocr/domain';
import { markdownPageBreak, TEXT_PAGE_SEPARATOR, type JobView, type PageView } from './job-view';

/** Words of a translated line spread over its box by character count. */
function spreadWords(text: string, box: BBox): Word[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const total = Math.max(1, tokens.reduce((n, t) => n + t.length + 1, -1));
  const [x0, y0, x1, y1] = box;
  let offset = 0;
  return tokens.map((t) => {
    const start = x0 + Math.round((offset / total) * (x1 - x0));
    offset += t.length;
    const end = x0 + Math.round((offset / total) * (x1 - x0));
    offset += 1;
    return { text: t, bbox: [start, y0, Math.max(start, end), y1], confidence: 1 };
  });
}

function stackLines(texts: string[], box: BBox): Line[] {
  const [x0, y0, x1, y1] = box;
  const band = (y1 - y0) / Math.max(1, texts.length);
  return texts.map((text, i) => {
    const lineBox: BBox = [x0, Math.round(y0 + band * i), x1, Math.round(y0 + band * (i + 1))];
    return { text, bbox: lineBox, confidence: 1, words: spreadWords(text, lineBox) };
  });
}

/**
 * Spreads the words of a translated paragraph over the original block's own lines, each line
 * taking a share of the words proportional to its width: the translation then sits at the
 * original's size and line spacing rather than squeezed onto fewer, taller lines.
 */
function reflowOnto(texts: string[], lines: readonly Line[]): Line[] {
  const words = texts.join(' ').split(/\s+/).filter(Boolean);
  const totalChars = words.reduce((n, w) => n + w.length + 1, 0);
  const totalWidth = lines.reduce((n, l) => n + Math.max(1, l.bbox[2] - l.bbox[0]), 0);
  const out: Line[] = [];
  let next = 0;
  lines.forEach((line, i) => {
    const share = (totalChars * Math.max(1, line.bbox[2] - line.bbox[0])) / totalWidth;
    const taken: string[] = [];
    let chars = 0;
    const last = i === lines.length - 1;
    while (next < words.length) {
      const w = words[next]!;
      // Take the word while that brings the line closer to its share.
      if (!last && taken.length > 0 && Math.abs(chars + w.length + 1 - share) > Math.abs(chars - share)) break;
      taken.push(w);
      chars += w.length + 1;
      next++;
    }
    if (taken.length === 0) return;
    const text = taken.join(' ');
    out.push({ text, bbox: line.bbox, confidence: 1, words: spreadWords(text, line.bbox) });
  });
  return out;
}

/**
 * The translation laid over the original layout, so exporters that place text (the searchable PDF)
 * can place it: translated paragraphs go onto the original blocks in order (several onto one block
 * when the translation has more paragraphs), lines stacked in the block's box.
 */
export function layTranslation(original: readonly Block[], text: string, width: number, height: number): Block[] {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((p) => p.length > 0);
  if (paragraphs.length === 0) return [];
  const targets: ReadonlyArray<{ bbox: BBox; kind: Block['kind']; level?: number; lines?: readonly Line[] }> =
    original.length > 0 ? original : [{ bbox: [0, 0, width, height], kind: 'paragraph' }];
  const groups: string[][] = targets.map(() => []);
  paragraphs.forEach((lines, k) => {
    const at = Math.min(targets.length - 1, Math.floor((k * targets.length) / paragraphs.length));
    groups[at]!.push(...lines);
  });
  const blocks: Block[] = [];
  groups.forEach((lines, i) => {
    if (lines.length === 0) return;
    const target = targets[i]!;
    const originalLines = target.lines ?? [];
    const stacked = originalLines.length > lines.length ? reflowOnto(lines, originalLines) : stackLines(lines, target.bbox);
    blocks.push({
      text: lines.join('\n'),
      bbox: unionBoxes(stacked.map((l) => l.bbox)),
      confidence: 1,
      kind: target.kind,
      ...(target.level !== undefined ? { level: target.level } : {}),
      lines: stacked,
      box_source: 'translated',
      confidence_source: 'none',
    });
  });
  return blocks;
}

function translatedPage(page: PageView): PageView {
  const tr = page.translation;
  if (!tr) return page;
  return {
    ...page,
    text: tr.text,
    markdown: tr.markdown,
    blocks: layTranslation(page.blocks, tr.text, page.width ?? 0, page.height ?? 0),
  };
}

/**
 * The job as it reads in its translation (downloads with `lang=translated`): page text, Markdown and
 * blocks are the translation's; pages without one keep their original and the job says so. Every
 * exporter renders this view like any other, so each format comes in the translation.
 */
export function translatedJobView(view: JobView): JobView {
  if (!view.translate_to) {
    throw new AppError('invalid_field', 'this job has no translation: submit it with tool=translate and translate_to', {
      field: 'lang',
      valid: ['original', 'translated'],
    });
  }
  const pages = view.pages.map(translatedPage);
  const untranslated = view.pages.filter((p) => p.status === 'done' && !p.translation).map((p) => p.index + 1);
  const warnings = [...view.warnings, `text shown in its translation into '${view.translate_to}'`];
  if (untranslated.length > 0) warnings.push(`page(s) ${untranslated.join(', ')} have no translation; their original text is shown`);
  return {
    ...view,
    language: view.translate_to,
    text: pages.map((p) => p.text).join(TEXT_PAGE_SEPARATOR),
    markdown: pages.map((p, i) => (i === 0 ? p.markdown : markdownPageBreak(i + 1) + p.markdown)).join(''),
    warnings,
    pages,
  };
}

/** `lang` of a download: the original (default) or the translation. */
export function viewInLanguage(view: JobView, lang: unknown): JobView {
  if (lang === undefined || lang === '' || lang === 'original') return view;
  if (lang === 'translated') return translatedJobView(view);
  throw new AppError('invalid_field', "lang must be 'original' or 'translated'", { field: 'lang', valid: ['original', 'translated'] });
}
