import type { AnalysisGpuReply, AnalysisGpuRequest } from './analysis-gpu-protocol.ts';

/** Page side: runs one request in a fresh dedicated module worker. */
export function runAnalysisGpu(request: AnalysisGpuRequest): Promise<AnalysisGpuReply> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./analysis-gpu.worker.ts', import.meta.url), { type: 'module' });
    worker.onerror = (event) => {
      worker.terminate();
      resolve({ ok: false, error: `worker error: ${event.message || 'failed to load the worker script'}` });
    };
    worker.onmessage = (event: MessageEvent<AnalysisGpuReply>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.postMessage(request);
  });
}
