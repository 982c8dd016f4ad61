import * as ort from 'onnxruntime-web';
import { PrestoSession } from '../../../src/lib/encoder/presto-session.ts';
import { compare, goldenInputs } from '../../encoder/presto-golden-cases.ts';
import type { PrestoWebReply, PrestoWebRequest } from './protocol.ts';

/** Configures onnxruntime-web as an app worker does (WASM from /ort/, no proxy) and runs Presto. */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PrestoWebRequest>) => {
  const { model, cases, executionProvider, threads } = event.data;
  let reply: PrestoWebReply;
  try {
    ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    const t0 = performance.now();
    const session = await PrestoSession.create(ort, model, {
      executionProviders: [executionProvider],
      graphOptimizationLevel: 'all',
    });
    const sessionCreateMs = performance.now() - t0;
    try {
      const results = [];
      for (const c of cases) {
        const embedding = await session.encode(goldenInputs(c));
        results.push({ name: c.name, ...compare(embedding, c.embedding) });
      }
      reply = { ok: true, ortVersion: ort.env.versions.web ?? 'unknown', sessionCreateMs, results };
    } finally {
      await session.release();
    }
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  scope.postMessage(reply);
};
