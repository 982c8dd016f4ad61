import * as Comlink from 'comlink';
import type {
  AnalysisWorkerApi,
  ClusterResult,
  GridTransfer,
  SimilarityResult,
} from '../../../workers/analysis-api.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { unwrap } from '../worker-result.ts';

/**
 * Main-thread handle on the analysis worker. The grid stays here too: cancelling a running
 * k-means terminates the worker, and a fresh one gets the grid again (no copy when the grid
 * lives in a SharedArrayBuffer). Whoever creates it calls dispose().
 */
export class AnalysisClient {
  private worker!: Worker;
  private api!: Comlink.Remote<AnalysisWorkerApi>;
  private grid: GridTransfer | undefined;
  private ready: Promise<unknown> = Promise.resolve();

  constructor() {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'analysis',
    });
    this.api = Comlink.wrap<AnalysisWorkerApi>(this.worker);
    const grid = this.grid;
    this.ready = grid ? this.api.setGrid(grid).then(unwrap) : Promise.resolve();
  }

  private restart(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.start();
  }

  async setGrid(grid: GridTransfer): Promise<void> {
    this.grid = grid;
    this.ready = this.api.setGrid(grid).then(unwrap);
    await this.ready;
  }

  async similarity(
    queryIndex: number,
    topK: { k: number; minSeparationPx: number },
  ): Promise<SimilarityResult> {
    await this.ready;
    return unwrap(await this.api.similarity(queryIndex, topK));
  }

  async cluster(
    k: number,
    seed: number,
    onIteration: (iteration: number, inertia: number) => void,
    signal: AbortSignal,
  ): Promise<ClusterResult> {
    throwIfAborted(signal, 'Clustering');
    await this.ready;
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(new AppError('aborted', 'Clustering was cancelled.')), {
        once: true,
      });
    });
    try {
      return unwrap(await Promise.race([this.api.cluster(k, seed, Comlink.proxy(onIteration)), aborted]));
    } catch (error) {
      if (signal.aborted) this.restart();
      throw error;
    }
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.grid = undefined;
  }
}
