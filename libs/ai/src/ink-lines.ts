import sharp from 'sharp';
import type { BBox } from '@ocr/domain';

/** Width the page is scaled to for the profile: plenty for line bands, cheap to scan. */
const PROFILE_WIDTH = 800;
/** A row is inked when this share of its pixels is dark. */
const ROW_INK_SHARE = 0.01;
/** Gaps up to this share of the median band height are closed (dots, descenders). */
const GAP_CLOSE_SHARE = 0.35;
/** Bands thinner than this share of the median band are specks, not lines. */
const MIN_BAND_SHARE = 0.3;
/** Bands this many times the typical height are several touching lines. */
const SPLIT_TALL_SHARE = 1.6;

function otsu(histogram: number[], total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * (histogram[i] ?? 0);
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += histogram[t] ?? 0;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (histogram[t] ?? 0);
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? 0) : 0;
};

/**
 * Cursive lines touch (ascenders reach the line above), so two or three lines can form one band.
 * A band much taller than the typical one is cut at its least-inked rows near the even cut points.
 */
function splitTall(band: [number, number], rows: readonly number[], typical: number): Array<[number, number]> {
  const [y0, y1] = band;
  const parts = Math.round((y1 - y0) / Math.max(1, typical));
  if (typical <= 0 || (y1 - y0) < typical * SPLIT_TALL_SHARE || parts < 2) return [band];
  const out: Array<[number, number]> = [];
  let start = y0;
  for (let k = 1; k < parts; k++) {
    const nominal = y0 + ((y1 - y0) * k) / parts;
    const reach = ((y1 - y0) / parts) * 0.3;
    let cut = Math.round(nominal);
    for (let y = Math.round(nominal - reach); y <= Math.round(nominal + reach); y++) {
      if (y > start && y < y1 && (rows[y] ?? 0) < (rows[cut] ?? 0)) cut = y;
    }
    out.push([start, cut]);
    start = cut;
  }
  out.push([start, y1]);
  return out;
}

/**
 * Text line bands found from the page's ink alone (horizontal projection profile): where Tesseract
 * reads handwriting it often drops whole lines, but the ink is there. Boxes are in the image's pixels.
 */
export async function inkLineBoxes(imagePath: string): Promise<BBox[]> {
  const meta = await sharp(imagePath).metadata();
  const fullW = meta.width ?? 0;
  const fullH = meta.height ?? 0;
  if (!fullW || !fullH) return [];
  const scale = Math.min(1, PROFILE_WIDTH / fullW);
  const { data, info } = await sharp(imagePath)
    .greyscale()
    .resize({ width: Math.max(1, Math.round(fullW * scale)) })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const histogram = new Array<number>(256).fill(0);
  for (const v of data) histogram[v]!++;
  const threshold = otsu(histogram, data.length);
  // Ignore a margin band at the edges, where scans have dark borders.
  const marginX = Math.round(w * 0.02);
  const rows = new Array<number>(h).fill(0);
  for (let y = 0; y < h; y++) {
    let ink = 0;
    for (let x = marginX; x < w - marginX; x++) if ((data[y * w + x] ?? 255) < threshold) ink++;
    rows[y] = ink;
  }
  const inked = rows.map((n) => n > (w - 2 * marginX) * ROW_INK_SHARE);
  let bands: Array<[number, number]> = [];
  for (let y = 0; y < h; y++) {
    if (!inked[y]) continue;
    const start = y;
    while (y < h && inked[y]) y++;
    bands.push([start, y]);
  }
  if (bands.length === 0) return [];
  const typical = median(bands.map(([a, b]) => b - a));
  const merged: Array<[number, number]> = [];
  for (const band of bands) {
    const last = merged[merged.length - 1];
    if (last && band[0] - last[1] <= typical * GAP_CLOSE_SHARE) last[1] = band[1];
    else merged.push([band[0], band[1]]);
  }
  const typicalMerged = median(merged.map(([a, b]) => b - a));
  bands = merged.filter(([a, b]) => b - a >= typicalMerged * MIN_BAND_SHARE).flatMap((band) => splitTall(band, rows, typicalMerged));
  return bands.map(([y0, y1]) => {
    let x0 = w;
    let x1 = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = marginX; x < w - marginX; x++) {
        if ((data[y * w + x] ?? 255) < threshold) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
      }
    }
    const inv = 1 / scale;
    return [Math.round(x0 * inv), Math.round(y0 * inv), Math.min(fullW, Math.round((x1 + 1) * inv)), Math.min(fullH, Math.round(y1 * inv))];
  });
}
