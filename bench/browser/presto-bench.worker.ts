import { configureOrtWeb, loadOrtWeb } from '../../src/lib/encoder/ort-web.ts';
import { measurePrestoEncode } from '../presto-loop.ts';
import type { PrestoWorkerReply, PrestoWorkerRequest } from './presto-protocol.ts';

/**
 * Bench worker: the onnxruntime-web build and settings the app's encoder worker uses for a
 * WASM session (plain WASM build from /ort/, no proxy). ORT fixes its thread count when WASM
 * is first instantiated: one worker per count.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PrestoWorkerRequest>) => {
  const { threads, model, ...params } = event.data;
  let reply: PrestoWorkerReply;
  try {
    const ort = await loadOrtWeb('wasm');
    configureOrtWeb(ort, threads);
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
