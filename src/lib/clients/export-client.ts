import * as Comlink from 'comlink';
import type { ExportWorkerApi } from '../../../workers/export-api.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { ExportJob, ExportOutput } from '../export/index.ts';
import { unwrap } from '../worker-result.ts';

/**
 * Runs one export in its own worker, ended when the file is ready or the user cancels (a
 * vectoriser has no cancellation points, so cancelling ends the worker).
 */
export async function runExport(
  job: ExportJob,
  signal: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<ExportOutput> {
  throwIfAborted(signal, 'The export');
  const worker = new Worker(new URL('../../../workers/export.worker.ts', import.meta.url), {
    type: 'module',
    name: 'export',
  });
  const api = Comlink.wrap<ExportWorkerApi>(worker);
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new AppError('aborted', 'The export was cancelled.')), {
      once: true,
    });
  });
  try {
    const progress = onProgress && Comlink.proxy(onProgress);
    return unwrap(await Promise.race([api.run(job, progress), aborted]));
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
