import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The benchmark's CER (bench/lib/cer.mjs) so tests and benchmarks score text the same way. */
const BENCH_CER = pathToFileURL(resolve(__dirname, '../../../bench/lib/cer.mjs')).href;

interface CerModule {
  cer: (hypothesis: string, truth: string) => number;
}

export async function cer(hypothesis: string, truth: string): Promise<number> {
  const mod = (await import(BENCH_CER)) as CerModule;
  return mod.cer(hypothesis, truth);
}
