import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The benchmark's table scoring (bench/lib/table-score.mjs), so tests and benchmarks agree. */
const MODULE = pathToFileURL(resolve(__dirname, '../../../bench/lib/table-score.mjs')).href;

export interface TableScore {
  cells: number;
  matched: number;
  rate: number;
}

interface ScoreModule {
  parseCsv: (text: string) => string[][];
  scoreTable: (pred: string[][], gt: string[][]) => TableScore;
}

export async function tableScoring(): Promise<ScoreModule> {
  return (await import(MODULE)) as ScoreModule;
}
