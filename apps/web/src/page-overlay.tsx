import type { BBox, Page } from './api';
import { confidenceClass } from './format';
import { mayFollowPointer } from './pointer-intent';

export type Layer = 'blocks' | 'lines' | 'words';

export interface Box { key: string; bbox: BBox; confidence: number; text: string }

/** The boxes of one layer, keyed p<page>-b<block>[-l<line>[-w<word>]] so text and boxes find each other. */
export function layerBoxes(page: Page, layer: Layer): Box[] {
  const out: Box[] = [];
  page.blocks.forEach((b, bi) => {
    const bk = `p${page.index}-b${bi}`;
    if (layer === 'blocks') return void out.push({ key: bk, bbox: b.bbox, confidence: b.confidence, text: b.text });
    b.lines.forEach((l, li) => {
      const lk = `${bk}-l${li}`;
      if (layer === 'lines') return void out.push({ key: lk, bbox: l.bbox, confidence: l.confidence, text: l.text });
      l.words.forEach((w, wi) => out.push({ key: `${lk}-w${wi}`, bbox: w.bbox, confidence: w.confidence, text: w.text }));
    });
  });
  return out;
}

/** A box and a line of text belong together when one contains the other (block > line > word). */
export function related(a: string | null, b: string): boolean {
  return a !== null && (a === b || a.startsWith(`${b}-`) || b.startsWith(`${a}-`));
}

export function PageOverlay(props: {
  page: Page;
  layer: Layer;
  hover: string | null;
  onHover: (key: string | null) => void;
  cite: BBox | null;
}) {
  const { page, layer, hover, onHover, cite } = props;
  const w = page.width ?? 1;
  const h = page.height ?? 1;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true" data-layer={layer} onMouseLeave={(e) => mayFollowPointer(e) && onHover(null)}>
      {layerBoxes(page, layer).map((b) => (
        <rect
          key={b.key}
          data-key={b.key}
          class={`box ${confidenceClass(b.confidence)}${related(hover, b.key) ? ' hl' : ''}`}
          x={b.bbox[0]}
          y={b.bbox[1]}
          width={Math.max(1, b.bbox[2] - b.bbox[0])}
          height={Math.max(1, b.bbox[3] - b.bbox[1])}
          onMouseEnter={(e) => mayFollowPointer(e) && onHover(b.key)}
        >
          <title>{`${b.text} (confidence ${Math.round(b.confidence * 100)}%)`}</title>
        </rect>
      ))}
      {cite && (
        <rect class="box cite" data-cite="true" x={cite[0]} y={cite[1]} width={Math.max(1, cite[2] - cite[0])} height={Math.max(1, cite[3] - cite[1])} />
      )}
    </svg>
  );
}
