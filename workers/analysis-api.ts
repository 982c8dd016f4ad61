import type { Place } from '../src/lib/analysis/top-k.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

export interface GridTransfer {
  width: number;
  height: number;
  dim: number;
  data: Float32Array;
  valid: Uint8Array;
}

export interface SimilarityResult {
  scores: Float32Array;
  min: number;
  max: number;
  /** Counts of a 64-bin histogram over [min, max], for the legend. */
  histogram: number[];
  places: Place[];
}

export interface ClusterResult {
  labels: Uint8Array;
  k: number;
  inertia: number;
  iterations: number;
  converged: boolean;
  /** Pixels per cluster. */
  counts: number[];
}

/** The analysis worker (embeddings -> answers), as both sides see it through comlink. */
export interface AnalysisWorkerApi {
  setGrid(grid: GridTransfer): Promise<WorkerResult<number>>;
  similarity(
    queryIndex: number,
    topK: { k: number; minSeparationPx: number },
  ): Promise<WorkerResult<SimilarityResult>>;
  cluster(
    k: number,
    seed: number,
    onIteration: (iteration: number, inertia: number) => void,
  ): Promise<WorkerResult<ClusterResult>>;
}
