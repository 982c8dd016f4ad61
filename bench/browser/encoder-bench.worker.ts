import * as ort from 'onnxruntime-web';
import { measureSpectralEncode } from '../encode-loop.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

/**
 * Bench worker: configures onnxruntime-web as workers/encoder.worker.ts does (WASM served by
 * the app at /ort/, no proxy worker) and runs the shared measurement. ORT fixes its thread
 * count when the WASM module is first instantiated, so every thread count gets a new worker.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { threads, ...params } = event.data;
  let reply: WorkerReply;
  try {
    ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
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
