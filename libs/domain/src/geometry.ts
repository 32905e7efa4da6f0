/** `[x0, y0, x1, y1]` in pixels of the page as processed (see `PageResult.width/height/dpi`). */
export type BBox = [number, number, number, number];

export function unionBoxes(boxes: readonly BBox[]): BBox {
  if (boxes.length === 0) return [0, 0, 0, 0];
  let [x0, y0, x1, y1] = boxes[0] as BBox;
  for (const [a, b, c, d] of boxes) {
    x0 = Math.min(x0, a);
    y0 = Math.min(y0, b);
    x1 = Math.max(x1, c);
    y1 = Math.max(y1, d);
  }
  return [x0, y0, x1, y1];
}

/**
 * A 2-D affine map `[a, b, c, d, e, f]`: x' = a·x + c·y + e, y' = b·x + d·y + f (PDF's matrix order).
 */
export type Affine = [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** `outer ∘ inner`: first `inner`, then `outer`. */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

export function invertAffine([a, b, c, d, e, f]: Affine): Affine {
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new Error('affine map is not invertible');
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

export function applyAffine([a, b, c, d, e, f]: Affine, x: number, y: number): [number, number] {
  return [a * x + c * y + e, b * x + d * y + f];
}

/**
 * Turning a w×h image clockwise by `degrees` (y pointing down) about its centre onto a canvas of
 * outW×outH centred on it, as image libraries do when they rotate with expansion.
 */
export function rotationAffine(degrees: number, w: number, h: number, outW: number, outH: number): Affine {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const toCentre: Affine = [1, 0, 0, 1, -w / 2, -h / 2];
  const turn: Affine = [cos, sin, -sin, cos, 0, 0];
  const fromCentre: Affine = [1, 0, 0, 1, outW / 2, outH / 2];
  return composeAffine(fromCentre, composeAffine(turn, toCentre));
}

/** Scales by `factor` on both axes (an enlarged image, or a rendering at another resolution). */
export function scalingAffine(factor: number): Affine {
  return [factor, 0, 0, factor, 0, 0];
}

/**
 * How every image made for the engine is written (uncompressed TIFF: Tesseract spends no time
 * inflating it), with the resolution it must carry: the image's own, or the 72 dpi sharp reports for
 * one that has none and writes into PNGs. Without it the TIFF says 25 dpi, which Tesseract replaces
 * by an estimate of its own (504 dpi on a Japanese page read as 72: 26.9% CER against 2.5%).
 */
export function engineTiffOptions(density: number | undefined): { compression: 'none'; xres: number; yres: number } {
  const pixelsPerMm = (density ?? 72) / 25.4;
  return { compression: 'none', xres: pixelsPerMm, yres: pixelsPerMm };
}
