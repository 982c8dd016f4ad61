import type { Agreement } from '../src/lib/analysis/index.ts';
import type { BBox, GridSpec } from '../src/lib/geo/index.ts';
import type {
  PrecomputedEstimate,
  PrecomputedProgress,
  PrecomputedRequest,
  PrecomputedResult,
} from '../src/lib/precomputed/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

/** Where to read: the request without its grid, plus the area when no grid is given. */
export type PrecomputedWhere = Omit<PrecomputedRequest, 'grid'> & {
  /** Read onto this grid (a loaded scene's, to compare on the same pixels)… */
  grid?: GridSpec | undefined;
  /** …or onto the product's own grid (else a 10 m UTM grid) over this WGS84 area. */
  area?: BBox | undefined;
};

/** The precomputed worker (published embeddings -> an EmbeddingGrid), as both sides see it through comlink. */
export interface PrecomputedWorkerApi {
  /** The grid a read would deliver on, and its cost, without reading any embeddings. */
  estimate(where: PrecomputedWhere): Promise<WorkerResult<PrecomputedEstimate & { grid: GridSpec }>>;
  /** Reads the embeddings; a second call cancels the first. Progress comes through a comlink proxy. */
  read(
    where: PrecomputedWhere,
    onProgress: (progress: PrecomputedProgress) => void,
  ): Promise<WorkerResult<PrecomputedResult & { grid: GridSpec }>>;
  /** Agreement of two similarity maps of one grid (rank correlation, top-10 overlap). */
  agreement(
    a: Float32Array,
    b: Float32Array,
    width: number,
    height: number,
  ): Promise<WorkerResult<Agreement>>;
  /** Cancels the running estimate or read. */
  cancel(): void;
}
