/**
 * The middle value of `values` (the upper of the two middle ones for an even count, so pixel
 * measures stay whole pixels); 0 without values.
 */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
}
