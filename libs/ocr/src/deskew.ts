import sharp from 'sharp';

/** Width the skew is estimated at: enough for text lines, cheap to scan over many angles. */
const ANALYSIS_WIDTH = 1000;
const MAX_SKEW_DEG = 10;

function profileScore(xs: Int32Array, ys: Int32Array, n: number, angleDeg: number, height: number): number {
  const a = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(a);
  const cos = Math.cos(a);
  const offset = Math.ceil(ANALYSIS_WIDTH * Math.abs(sin)) + 1;
  const bins = new Float64Array(height + 2 * offset + 2);
  for (let i = 0; i < n; i++) {
    const y = Math.round((ys[i] as number) * cos - (xs[i] as number) * sin) + offset;
    bins[y] = (bins[y] as number) + 1;
  }
  // Text lines aligned with the axis give sharp peaks: the sum of squares is largest there.
  let score = 0;
  for (const b of bins) score += b * b;
  return score;
}

/**
 * Skew of the text lines in degrees, clockwise positive (lines that descend to the right, in image
 * coordinates), by projection profiles over a downscaled, thresholded copy. Rotating the image by
 * minus this straightens it. Returns 0 for pages with too little ink to tell.
 */
export async function estimateSkew(imagePath: string): Promise<number> {
  const { data, info } = await sharp(imagePath, { limitInputPixels: false })
    .greyscale()
    .resize({ width: ANALYSIS_WIDTH, withoutEnlargement: false })
    .normalise()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const xs = new Int32Array(data.length);
  const ys = new Int32Array(data.length);
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] as number) < 110) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
    }
  }
  // Nearly blank or nearly black pages have no lines to align.
  if (n < 500 || n > data.length * 0.5) return 0;
  // Every k-th ink pixel is plenty for the profile and bounds the cost on dense pages.
  const stride = Math.max(1, Math.floor(n / 60_000));
  if (stride > 1) {
    let m = 0;
    for (let i = 0; i < n; i += stride) {
      xs[m] = xs[i] as number;
      ys[m] = ys[i] as number;
      m++;
    }
    n = m;
  }
  let best = 0;
  let bestScore = -1;
  for (let a = -MAX_SKEW_DEG; a <= MAX_SKEW_DEG; a += 0.5) {
    const s = profileScore(xs, ys, n, a, height);
    if (s > bestScore) [best, bestScore] = [a, s];
  }
  const coarse = best;
  for (let a = coarse - 0.5; a <= coarse + 0.5; a += 0.1) {
    const s = profileScore(xs, ys, n, a, height);
    if (s > bestScore) [best, bestScore] = [a, s];
  }
  return Math.round(best * 100) / 100;
}
