import type { Thumbnail } from './page-survey';

/**
 * A portrait page turned on its side is at most this much wider than high (legal paper: 1.65).
 * Wider images are strips of a few lines, whose column profile is as rough as a sideways page's:
 * two rendered Tibetan and Japanese lines measured 0.39 and 0.42, sideways letter pages 0.27 (on a
 * 600-pixel copy of their own, before the survey's thumbnail served).
 */
const MAX_SIDEWAYS_ASPECT = 1.8;
/** Rows-vs-columns roughness below this: the lines run vertically (on the survey's thumbnail: 0.24-0.25 sideways, 0.9 and up upright). */
const SIDEWAYS_RATIO = 0.5;

/** How much adjacent entries of an ink profile differ, relative to the ink: text lines alternate with gaps. */
function roughness(profile: Float64Array): number {
  let change = 0;
  let ink = 0;
  for (let i = 1; i < profile.length; i++) {
    change += Math.abs((profile[i] as number) - (profile[i - 1] as number));
    ink += profile[i] as number;
  }
  return ink > 0 ? change / ink : 0;
}

/** Whether an image of these proportions is examined: a sideways portrait page is landscape, and portrait images (most pages) pay nothing. */
export function mayBeSideways(width: number, height: number): boolean {
  return width > height && width <= height * MAX_SIDEWAYS_ASPECT;
}

/**
 * Whether a landscape page holds text turned by 90 degrees (a portrait page scanned sideways), from
 * its grey thumbnail: such a page would be read once for nothing, so it is turned before the first
 * reading. The page survey's thumbnail serves (its decoding cost 80-150 ms of a landscape 300 dpi
 * page a second time): on 38 landscape pages, rendered and from the corpus, upright and sideways,
 * it told the same as a 600-pixel copy of its own (sideways 0.24-0.25 against 0.29-0.34 there).
 */
export function linesRunVertically({ data, width, height }: Thumbnail): boolean {
  if (!mayBeSideways(width, height)) return false;
  let sum = 0;
  for (const v of data) sum += v;
  const threshold = (sum / data.length) * 0.75;
  const rows = new Float64Array(height);
  const cols = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[y * width + x] as number) < threshold) {
        rows[y] = (rows[y] as number) + 1;
        cols[x] = (cols[x] as number) + 1;
      }
    }
  }
  const c = roughness(cols);
  return c > 0 && roughness(rows) / c < SIDEWAYS_RATIO;
}
