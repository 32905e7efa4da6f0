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
