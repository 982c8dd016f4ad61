import * as Comlink from 'comlink';
import type { PrecomputedWhere, PrecomputedWorkerApi } from '../../../workers/precomputed-api.ts';
import type { Agreement } from '../analysis/index.ts';
import { throwIfAborted } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import type { PrecomputedEstimate, PrecomputedProgress, PrecomputedResult } from '../precomputed/index.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

export type { PrecomputedWhere };

/**
 * Main-thread handle on the precomputed worker, started at its first call: at the app's
 * start-up the scene read, the map and the encoder's warm-up share the cores, and a worker
 * nobody has asked anything yet would take ~0.1 s of them to load. Whoever creates it calls dispose().
 */
export class PrecomputedClient {
  private started: { worker: Worker; api: Comlink.Remote<PrecomputedWorkerApi> } | undefined;

  private get api(): Comlink.Remote<PrecomputedWorkerApi> {
    if (!this.started) {
      const worker = new Worker(new URL('../../../workers/precomputed.worker.ts', import.meta.url), {
        type: 'module',
        name: 'precomputed',
      });
      this.started = { worker, api: Comlink.wrap<PrecomputedWorkerApi>(worker) };
    }
    return this.started.api;
  }

  /** One cancellable call: an abort tells the worker, whose read then ends as 'aborted'. */
  private async run<T>(signal: AbortSignal, call: () => Promise<WorkerResult<T>>): Promise<T> {
    throwIfAborted(signal, 'Reading precomputed embeddings');
    const onAbort = () => void this.api.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await call());
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  estimate(where: PrecomputedWhere, signal: AbortSignal): Promise<PrecomputedEstimate & { grid: GridSpec }> {
    return this.run(signal, () => this.api.estimate(where));
  }

  read(
    where: PrecomputedWhere,
    onProgress: (p: PrecomputedProgress) => void,
    signal: AbortSignal,
  ): Promise<PrecomputedResult & { grid: GridSpec }> {
    // Progress after the answer (comlink's proxy port may lag) is dropped, as in SceneClient.
    let answered = false;
    const report = (p: PrecomputedProgress) => {
      if (!answered) onProgress(p);
    };
    return this.run(signal, () => this.api.read(where, Comlink.proxy(report))).finally(() => {
      answered = true;
    });
  }

  async agreement(a: Float32Array, b: Float32Array, width: number, height: number): Promise<Agreement> {
    return unwrap(await this.api.agreement(a, b, width, height));
  }

  dispose(): void {
    if (!this.started) return;
    this.started.api[Comlink.releaseProxy]();
    this.started.worker.terminate();
    this.started = undefined;
  }
}
