import * as ort from 'onnxruntime-web';
import { measureMosaiksOrt } from '../mosaiks-loop.ts';
import type { MosaiksWorkerReply, MosaiksWorkerRequest } from './mosaiks-protocol.ts';

/**
 * Bench worker: onnxruntime-web configured as the app's encoder worker does (WASM from /ort/,
 * no proxy). ORT fixes its thread count when WASM is first instantiated: one worker per count.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<MosaiksWorkerRequest>) => {
  const { threads, ...params } = event.data;
  let reply: MosaiksWorkerReply;
  try {
    ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    const measurement = await measureMosaiksOrt(ort, params, {
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
