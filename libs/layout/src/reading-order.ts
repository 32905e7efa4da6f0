import type { BBox } from '@ocr/domain';

interface Boxed {
  bbox: BBox;
}

interface Cut {
  at: number;
  gap: number;
}

/** The widest empty band along one axis (0 = x, 1 = y) that separates the boxes into two groups. */
function span(b: Boxed, axis: 0 | 1): [number, number] {
  return axis === 0 ? [b.bbox[0], b.bbox[2]] : [b.bbox[1], b.bbox[3]];
}

function widestGap(items: readonly Boxed[], axis: 0 | 1): Cut | null {
  const spans = items.map((b) => span(b, axis)).sort((a, b) => a[0] - b[0]);
  let best: Cut | null = null;
  let reach = spans[0]?.[1] ?? 0;
  for (const [start, end] of spans.slice(1)) {
    if (start > reach) {
      const gap = start - reach;
      if (!best || gap > best.gap) best = { at: (start + reach) / 2, gap };
    }
    reach = Math.max(reach, end);
  }
  return best;
}

function extent(items: readonly Boxed[], axis: 0 | 1): number {
  const lo = Math.min(...items.map((b) => span(b, axis)[0]));
  const hi = Math.max(...items.map((b) => span(b, axis)[1]));
  return hi - lo;
}

/**
 * Recursive XY-cut: columns are read left to right (a vertical cut is taken when a clear column
 * gutter exists), bands top to bottom. A full-width block (title, footer) spans every gutter, so
 * it separates the bands above and below it, and the columns inside each band stay whole.
 */
export function orderBlocks<T extends Boxed>(blocks: readonly T[]): T[] {
  if (blocks.length <= 1) return [...blocks];
  const vertical = widestGap(blocks, 0);
  const minGutter = Math.max(8, extent(blocks, 0) * 0.015);
  if (vertical && vertical.gap >= minGutter) {
    const left = blocks.filter((b) => b.bbox[2] <= vertical.at);
    const right = blocks.filter((b) => b.bbox[2] > vertical.at);
    if (left.length > 0 && right.length > 0) return [...orderBlocks(left), ...orderBlocks(right)];
  }
  const horizontal = widestGap(blocks, 1);
  if (horizontal) {
    const top = blocks.filter((b) => b.bbox[3] <= horizontal.at);
    const bottom = blocks.filter((b) => b.bbox[3] > horizontal.at);
    if (top.length > 0 && bottom.length > 0) return [...orderBlocks(top), ...orderBlocks(bottom)];
  }
  // Overlapping boxes: no cut exists, so fall back to top-to-bottom, left-to-right.
  return [...blocks].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}
