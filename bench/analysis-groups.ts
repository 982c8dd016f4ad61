import { makeRandomGrid } from '../src/lib/analysis/index.ts';
import { ANALYSIS_GPU_GROUP } from './analysis-gpu-groups.ts';
import type { Group, Results } from './group.ts';
import { kmeansCpu } from './kmeans.ts';
import { log } from './report.ts';
import { similarityCpu } from './similarity.ts';

const DIMS = [128, 64] as const;

/**
 * Analysis benchmarks on 1,000,000 x dim grids (300 x 300 with --quick): per dimension one
 * group, so the similarity and k-means entries share one random grid (building it is the
 * slowest part of the set-up).
 */
const CPU_GROUPS: Group[] = DIMS.map(
  (dim): Group => ({
    names: [`similarity_cpu_1m_x${dim}`, `kmeans_cpu_1m_x${dim}`],
    async run(selected, s): Promise<Results> {
      const t0 = performance.now();
      const grid = makeRandomGrid(s.similaritySide, s.similaritySide, dim, 11);
      log(`  grid ${s.similaritySide ** 2} x ${dim} made in ${Math.round(performance.now() - t0)} ms`);
      const results: Results = new Map();
      for (const name of selected) {
        const entry = name.startsWith('similarity')
          ? similarityCpu({ grid, runs: s.similarityRuns.x128, seed: 11 })
          : await kmeansCpu({ grid, gridSeed: 11, k: 10, seed: 42, iterations: 20, runs: 1 });
        results.set(name, entry);
      }
      return results;
    },
  }),
);

/** Every analysis benchmark, spread into GROUPS in run.ts. */
export const ANALYSIS_GROUPS: Group[] = [...CPU_GROUPS, ANALYSIS_GPU_GROUP];
