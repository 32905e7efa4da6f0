import { PDFArray, PDFDict, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';

/**
 * The roots and the objects reachable from them through references, each once, depth first in the
 * order the references appear. `enter` decides which references met on the way are followed (not
 * one already written, not another page's); `lookup` gives a reference's object, undefined for a
 * dangling one (left out).
 */
export function reachableObjects(
  roots: readonly PDFRef[],
  lookup: (ref: PDFRef) => PDFObject | undefined,
  enter: (ref: PDFRef) => boolean,
): PDFRef[] {
  const found: PDFRef[] = [];
  const seen = new Set<number>();
  const pending: PDFRef[] = [...roots].reverse();
  const visit = (value: PDFObject | undefined): void => {
    if (value instanceof PDFRef) {
      if (!seen.has(value.objectNumber) && enter(value)) pending.push(value);
    } else if (value instanceof PDFDict) {
      for (const [, v] of value.entries()) visit(v);
    } else if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) visit(value.get(i));
    } else if (value instanceof PDFStream) {
      visit(value.dict);
    }
  };
  for (let ref = pending.pop(); ref; ref = pending.pop()) {
    if (seen.has(ref.objectNumber)) continue;
    seen.add(ref.objectNumber);
    const object = lookup(ref);
    if (!object) continue;
    found.push(ref);
    visit(object);
  }
  return found;
}
