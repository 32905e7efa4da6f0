import { composeAffine, IDENTITY, invertAffine, type Affine, type PageContent } from '@ocr/domain';

export interface PdfBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * From a pixel of a PDF page rasterised at `dpi` (as pdftoppm renders it: the crop box, turned by
 * the page's /Rotate, y down) to the page's user space.
 */
export function rasterToUser(box: PdfBox, rotate: number, dpi: number): Affine {
  const k = 72 / dpi;
  const [x0, y0, x1, y1] = [box.x, box.y, box.x + box.width, box.y + box.height];
  switch (((rotate % 360) + 360) % 360) {
    case 90:
      return [0, k, k, 0, x0, y0];
    case 180:
      return [-k, 0, 0, k, x1, y0];
    case 270:
      return [0, -k, -k, 0, x1, y1];
    default:
      return [k, 0, 0, -k, x0, y1];
  }
}

/** From the recognised page's pixels back to the page as received. */
export function processedToReceived(page: PageContent): Affine {
  return invertAffine(page.transform ?? IDENTITY);
}

/** From the recognised page's pixels to a PDF page's user space, through the page as received. */
export function processedToUser(page: PageContent, receivedToUser: Affine): Affine {
  return composeAffine(receivedToUser, processedToReceived(page));
}
