import * as Comlink from 'comlink';
import type {
  ClassifyGrid,
  ClassifyResult,
  ClassifyWorkerApi,
  ThresholdView,
} from '../../../workers/classify-api.ts';
import type { ClassifyRequest, ClassifyStage, LabelState } from '../classify/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { unwrap } from '../worker-result.ts';

/**
 * Main-thread handle on the classify worker. The grid stays here too: cancelling terminates
 * the worker and a fresh one gets the grid again. Whoever creates it calls dispose().
 */
export class ClassifyClient {
  private worker!: Worker;
  private api!: Comlink.Remote<ClassifyWorkerApi>;
  private grid: ClassifyGrid | undefined;
  private ready: Promise<unknown> = Promise.resolve();

  constructor() {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('../../../workers/classify.worker.ts', import.meta.url), {
      type: 'module',
      name: 'classify',
    });
    this.api = Comlink.wrap<ClassifyWorkerApi>(this.worker);
    const { grid } = this;
    this.ready = grid ? this.api.setGrid(grid).then(unwrap) : Promise.resolve();
  }

  async setGrid(grid: ClassifyGrid): Promise<void> {
    this.grid = grid;
    await this.ready.catch(() => undefined);
    this.ready = this.api.setGrid(grid).then(unwrap);
    await this.ready;
  }

  /** Cross-validates, trains and maps; `signal` cancels (the worker is restarted). */
  async classify(
    labels: LabelState,
    request: ClassifyRequest,
    threshold: number,
    onProgress: (stage: ClassifyStage, done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<ClassifyResult> {
    throwIfAborted(signal, 'Classification');
    await this.ready;
    const run = this.api.classify(labels, request, threshold, Comlink.proxy(onProgress));
    if (!signal) return unwrap(await run);
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener(
        'abort',
        () => reject(new AppError('aborted', 'Classification was cancelled.')),
        {
          once: true,
        },
      );
    });
    try {
      return unwrap(await Promise.race([run, aborted]));
    } catch (error) {
      if (signal.aborted) {
        this.api[Comlink.releaseProxy]();
        this.worker.terminate();
        this.start();
      }
      throw error;
    }
  }

  async threshold(threshold: number): Promise<ThresholdView> {
    await this.ready;
    return unwrap(await this.api.threshold(threshold));
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.grid = undefined;
  }
}
