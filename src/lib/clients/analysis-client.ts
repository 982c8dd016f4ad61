import * as Comlink from 'comlink';
import type { AnalysisWorkerApi, BackendInfo, BackendPreference } from '../../../workers/analysis-api.ts';
import type {
  ChangeResult,
  ClusterResult,
  GridTransfer,
  PcaResult,
  SearchRequest,
  SearchResult,
} from '../analysis/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

/**
 * Main-thread handle on the analysis worker. The grids stay here too: cancelling a running
 * operation terminates the worker, and a fresh one gets the grids again (no copy when a grid
 * lives in a SharedArrayBuffer). Whoever creates it calls dispose().
 */
export class AnalysisClient {
  private worker!: Worker;
  private api!: Comlink.Remote<AnalysisWorkerApi>;
  private grid: GridTransfer | undefined;
  private other: GridTransfer | undefined;
  private preference: BackendPreference | undefined;
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
    const { grid, other, preference } = this;
    this.ready = (async () => {
      if (preference) unwrap(await this.api.backend(preference));
      if (grid) unwrap(await this.api.setGrid(grid));
      if (grid && other) unwrap(await this.api.setOtherGrid(other));
    })();
  }

  private restart(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.start();
  }

  /** Runs a worker call; when `signal` fires, rejects with 'aborted' and restarts the worker. */
  private async call<T>(
    what: string,
    run: () => Promise<WorkerResult<T>>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    throwIfAborted(signal, what);
    await this.ready;
    if (!signal) return unwrap(await run());
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(new AppError('aborted', `${what} was cancelled.`)), {
        once: true,
      });
    });
    try {
      return unwrap(await Promise.race([run(), aborted]));
    } catch (error) {
      if (signal.aborted) this.restart();
      throw error;
    }
  }

  /** Where analysis runs and why; with `preference`, changes it first. */
  async backend(preference?: BackendPreference): Promise<BackendInfo> {
    if (preference) this.preference = preference;
    await this.ready;
    return unwrap(await this.api.backend(preference));
  }

  async setGrid(grid: GridTransfer): Promise<void> {
    this.grid = grid;
    this.other = undefined;
    await this.ready.catch(() => undefined);
    this.ready = this.api.setGrid(grid).then(unwrap);
    await this.ready;
  }

  /** Similarity to positives (minus negatives), top places and, optionally, threshold area. */
  search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
    return this.call('Similarity search', () => this.api.search(request), signal);
  }

  cluster(
    k: number,
    seed: number,
    onIteration: (iteration: number, inertia: number) => void,
    signal: AbortSignal,
  ): Promise<ClusterResult> {
    return this.call('Clustering', () => this.api.cluster(k, seed, Comlink.proxy(onIteration)), signal);
  }

  pca(options: { sampleSize?: number; seed?: number } = {}, signal?: AbortSignal): Promise<PcaResult> {
    return this.call('PCA', () => this.api.pca(options), signal);
  }

  async setOtherGrid(grid: GridTransfer): Promise<void> {
    await this.ready;
    unwrap(await this.api.setOtherGrid(grid));
    this.other = grid;
  }

  change(signal?: AbortSignal): Promise<ChangeResult> {
    return this.call('Change detection', () => this.api.change(), signal);
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.grid = undefined;
    this.other = undefined;
  }
}
