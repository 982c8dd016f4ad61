import type {
  AnalysisBackend,
  BackendInfo,
  BackendPreference,
  ChangeResult,
  ClusterResult,
  GridTransfer,
  PcaResult,
  SearchRequest,
  SearchResult,
  SimilarityResult,
  ThresholdInfo,
} from '../src/lib/analysis/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

// The domain types live in src/lib/analysis; re-exported for code written against this file.
export type {
  AnalysisBackend,
  BackendInfo,
  BackendPreference,
  ChangeResult,
  ClusterResult,
  GridTransfer,
  PcaResult,
  SearchRequest,
  SearchResult,
  SimilarityResult,
  ThresholdInfo,
};

/** The analysis worker (embeddings -> answers), as both sides see it through comlink. */
export interface AnalysisWorkerApi {
  /** Where analysis runs (probes WebGPU once); `preference` changes it for later grids. */
  backend(preference?: BackendPreference): Promise<WorkerResult<BackendInfo>>;
  setGrid(grid: GridTransfer): Promise<WorkerResult<number>>;
  /** Similarity to the mean of positives (minus the mean of negatives), top places, threshold area. */
  search(request: SearchRequest): Promise<WorkerResult<SearchResult>>;
  cluster(
    k: number,
    seed: number,
    onIteration: (iteration: number, inertia: number) => void,
  ): Promise<WorkerResult<ClusterResult>>;
  pca(options?: { sampleSize?: number; seed?: number }): Promise<WorkerResult<PcaResult>>;
  /** The same area at another date (same width, height, dim), for change(). */
  setOtherGrid(grid: GridTransfer): Promise<WorkerResult<number>>;
  change(): Promise<WorkerResult<ChangeResult>>;
}
