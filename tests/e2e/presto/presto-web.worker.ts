import { PrestoSession } from '../../../src/lib/encoder/index.ts';
import { configureOrtWeb, loadOrtWeb } from '../../../src/lib/encoder/ort.ts';
import { compare, goldenInputs } from '../../encoder/presto-golden-cases.ts';
import type { PrestoModelResult, PrestoWebReply, PrestoWebRequest } from './protocol.ts';

/**
 * Loads and configures onnxruntime-web as the app's encoder worker does for the execution
 * provider (plain WASM or JSEP build, WASM from /ort/, no proxy) and runs Presto, one
 * session per model in turn (ORT and the WebGPU device are set up once for all of them).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PrestoWebRequest>) => {
  const { models, cases, executionProvider, threads } = event.data;
  let reply: PrestoWebReply;
  try {
    const ort = await loadOrtWeb(executionProvider);
    configureOrtWeb(ort, threads);
    const outcomes: PrestoModelResult[] = [];
    for (const { dtype, bytes } of models) {
      const t0 = performance.now();
      const session = await PrestoSession.create(ort, bytes, {
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
        outcomes.push({ dtype, sessionCreateMs, results });
      } finally {
        await session.release();
      }
    }
    reply = { ok: true, ortVersion: ort.env.versions.web ?? 'unknown', models: outcomes };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  scope.postMessage(reply);
};
