import * as Comlink from 'comlink';
import type { PrecomputedWhere, PrecomputedWorkerApi } from '../../../workers/precomputed-api.ts';
import type { Agreement } from '../analysis/index.ts';
import { throwIfAborted } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import type { PrecomputedEstimate, PrecomputedProgress, PrecomputedResult } from '../precomputed/index.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

export type { PrecomputedWhere };

/** Main-thread handle on the precomputed worker. Whoever creates it calls dispose(). */
export class PrecomputedClient {
  private readonly worker = new Worker(new URL('../../../workers/precomputed.worker.ts', import.meta.url), {
    type: 'module',
    name: 'precomputed',
  });
  private readonly api = Comlink.wrap<PrecomputedWorkerApi>(this.worker);

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
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
