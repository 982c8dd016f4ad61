import type { EncodeParams } from './encode-loop.ts';
import type { BenchEntry, BenchFailure } from './report.ts';

export type Results = Map<string, BenchEntry | BenchFailure>;

/** Problem sizes of one run; --quick shrinks them for a smoke run. */
export interface Sizes {
  quick: boolean;
  encode: EncodeParams;
  similaritySide: number;
  similarityRuns: { x7: number; x128: number };
  kmeansSide: number;
  kmeansRuns: number;
}

/**
 * Each group runs one or more named benchmarks and reports each of them. An area adds its
 * benchmarks as a `bench/<area>-groups.ts` module exporting Group[], spread into GROUPS in run.ts.
 */
export interface Group {
  names: string[];
  run(selected: string[], s: Sizes): Promise<Results> | Results;
}
