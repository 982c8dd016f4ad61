import { configureOrtWeb, loadOrtWeb } from '../../src/lib/encoder/ort-web.ts';
import { measureSpectralEncode } from '../encode-loop.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

/**
 * Bench worker: loads and configures onnxruntime-web as workers/encoder.worker.ts does for a
 * WASM session (plain WASM build served by the app at /ort/, no proxy worker) and runs the
 * shared measurement. ORT fixes its thread count when the WASM module is first instantiated,
 * so every thread count gets a new worker.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { threads, ...params } = event.data;
  let reply: WorkerReply;
  try {
    const ort = await loadOrtWeb('wasm');
    configureOrtWeb(ort, threads);
    const measurement = await measureSpectralEncode(ort, params, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    reply = { ok: true, measurement, ortVersion: ort.env.versions.web ?? 'unknown' };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  scope.postMessage(reply);
};
