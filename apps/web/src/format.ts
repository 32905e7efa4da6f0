export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'kept while it is read';
  if (seconds <= 0) return 'deleted at the next sweep';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** Confidence shading: three steps a reader tells apart (and that keep their contrast on white). */
export function confidenceClass(c: number): string {
  return c >= 0.85 ? 'conf-hi' : c >= 0.6 ? 'conf-mid' : 'conf-lo';
}
