import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import type { GpuContext, GpuProbe } from '../gpu/index.ts';
import { changeGpu, GpuGrid, kmeansGpu, projectGpu, similarityGpu } from '../gpu/index.ts';
import { type BackendInfo, type BackendPreference, chooseAnalysisBackend } from './backend.ts';
import { changeMap } from './change.ts';
import type { KMeansOptions, KMeansResult } from './kmeans.ts';
import { kmeansParallel } from './kmeans-parallel.ts';
import { type PcaBasis, type PcaOptions, pcaBasis, projectPixels } from './pca.ts';
import { type QueryPicks, queryVector } from './query.ts';
import { cosineSimilarityNormed, pixelInverseNorms, type RangedScores } from './similarity.ts';

export interface EngineOptions {
  probe: GpuProbe;
  preference?: BackendPreference;
  /** Caps each GPU binding below the device limit (tests of the chunking). */
  maxBindingBytes?: number;
}

function withRange(scores: Float32Array): RangedScores {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s < min) min = s;
    if (s > max) max = s; // NaN fails both comparisons.
  }
  return min > max ? { scores, min: Number.NaN, max: Number.NaN } : { scores, min, max };
}

/** Errors the user caused (or a cancel) are answers; anything else from the GPU falls back. */
function isAnswer(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'bad-input' || error.code === 'aborted');
}

/**
 * The analysis of one embedding grid, on the backend chooseAnalysisBackend picked: the grid is
 * uploaded to the GPU once (chunked) and every operation binds it. Should a GPU operation fail
 * (device lost, out of memory), the engine switches to the CPU for good and says why in
 * `info`. The CPU and GPU paths give the same answers within float32 rounding.
 */
export class AnalysisEngine {
  private gpuGrid: GpuGrid | undefined;
  private other: { grid: EmbeddingGrid; gpu: GpuGrid | undefined } | undefined;
  /** 1 / |p| per pixel for the CPU similarity, computed at the first query on the CPU. */
  private inverseNorms: Float64Array | undefined;
  info: BackendInfo;

  constructor(
    readonly grid: EmbeddingGrid,
    private readonly options: EngineOptions,
  ) {
    this.info = chooseAnalysisBackend(options.probe, options.preference);
    const context = options.probe.context;
    if (this.info.backend === 'webgpu' && context) {
      try {
        this.gpuGrid = new GpuGrid(context, grid, options.maxBindingBytes);
      } catch (error) {
        this.fallBack(error);
      }
    }
  }

  private get context(): GpuContext | undefined {
    return this.gpuGrid?.context;
  }

  private fallBack(error: unknown): void {
    this.gpuGrid?.dispose();
    this.gpuGrid = undefined;
    this.other?.gpu?.dispose();
    if (this.other) this.other.gpu = undefined;
    const why = error instanceof Error ? error.message : String(error);
    this.info = { backend: 'cpu', reason: `CPU: the GPU path failed (${why}).` };
  }

  /** Runs `gpu` when the grid is on the GPU, else (or when it fails) `cpu`. */
  private async run<T>(gpu: ((g: GpuGrid) => Promise<T>) | undefined, cpu: () => T | Promise<T>): Promise<T> {
    if (this.gpuGrid && gpu) {
      try {
        return await gpu(this.gpuGrid);
      } catch (error) {
        if (isAnswer(error)) throw error;
        this.fallBack(error);
      }
    }
    return cpu();
  }

  /** Cosine similarity of every pixel to the query built from the picks (NaN where invalid). */
  async similarity(picks: QueryPicks, signal?: AbortSignal): Promise<Float32Array> {
    return (await this.rankedSimilarity(picks, signal)).scores;
  }

  /**
   * similarity() with the scores' finite min and max. The array is the caller's own (the
   * engine keeps no reference), so it can be transferred as it is.
   */
  async rankedSimilarity(picks: QueryPicks, signal?: AbortSignal): Promise<RangedScores> {
    const query = queryVector(this.grid, picks);
    return this.run(
      async (g) => withRange(await similarityGpu(g, query, signal)),
      () => {
        this.inverseNorms ??= pixelInverseNorms(this.grid);
        return cosineSimilarityNormed(this.grid, query, this.inverseNorms);
      },
    );
  }

  /** Computes what the first CPU query needs ahead of it (the worker calls it after setGrid). */
  prepareSimilarity(): void {
    if (!this.gpuGrid) this.inverseNorms ??= pixelInverseNorms(this.grid);
  }

  kmeans(options: KMeansOptions): Promise<KMeansResult> {
    return this.run(
      (g) => kmeansGpu(g, options),
      () => kmeansParallel(this.grid, options),
    );
  }

  /** PCA basis (CPU, from a sample) and the projection of every pixel onto it. */
  async pca(options: PcaOptions = {}): Promise<{ basis: PcaBasis; projection: Float32Array }> {
    const basis = pcaBasis(this.grid, options);
    const projection = await this.run(
      (g) => projectGpu(g, basis.mean, basis.components, options.signal),
      () => projectPixels(this.grid, basis),
    );
    return { basis, projection };
  }

  /** Sets the grid of the same area at another date, for change(). */
  setOther(grid: EmbeddingGrid): void {
    if (grid.width !== this.grid.width || grid.height !== this.grid.height || grid.dim !== this.grid.dim) {
      throw new AppError(
        'bad-input',
        `The second embedding grid (${grid.width}x${grid.height}x${grid.dim}) must match the first (${this.grid.width}x${this.grid.height}x${this.grid.dim}).`,
      );
    }
    this.other?.gpu?.dispose();
    let gpu: GpuGrid | undefined;
    const context = this.context;
    if (context) {
      try {
        gpu = new GpuGrid(context, grid, this.options.maxBindingBytes);
      } catch (error) {
        this.fallBack(error);
      }
    }
    this.other = { grid, gpu };
  }

  /** Per-pixel cosine distance to the other grid (setOther first). */
  async change(signal?: AbortSignal): Promise<Float32Array> {
    const other = this.other;
    if (!other) throw new AppError('bad-input', 'Load the embeddings of the second date first.');
    const gpuOther = other.gpu;
    return this.run(gpuOther ? (g) => changeGpu(g, gpuOther, signal) : undefined, () =>
      changeMap(this.grid, other.grid),
    );
  }

  dispose(): void {
    this.gpuGrid?.dispose();
    this.gpuGrid = undefined;
    this.other?.gpu?.dispose();
    this.other = undefined;
  }
}
