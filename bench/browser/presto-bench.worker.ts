import * as ort from 'onnxruntime-web';
import { measurePrestoEncode } from '../presto-loop.ts';
import type { PrestoWorkerReply, PrestoWorkerRequest } from './presto-protocol.ts';

/**
 * Bench worker: onnxruntime-web configured as the app's encoder worker does (WASM from /ort/,
 * no proxy). ORT fixes its thread count when WASM is first instantiated: one worker per count.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PrestoWorkerRequest>) => {
  const { threads, model, ...params } = event.data;
  let reply: PrestoWorkerReply;
  try {
    ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    const measurement = await measurePrestoEncode(ort, model, params, {
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
