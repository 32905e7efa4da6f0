/**
 * The paper's grey level of a greyscale image: its 90th percentile, from a histogram (not a sort
 * of every pixel), so that tinted or grey scans are measured as white ones are.
 */
export function paperLevel(data: Uint8Array): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    histogram[v] = (histogram[v] as number) + 1;
  }
  const rank = Math.floor(data.length * 0.9);
  for (let v = 0, below = 0; v < 256; v++) {
    below += histogram[v] as number;
    if (below > rank) return v;
  }
  return 255;
}
