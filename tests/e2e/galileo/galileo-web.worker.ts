import { configureOrtWeb, loadOrtWeb } from '../../../src/lib/encoder/ort.ts';
import { compare, galileoExpected, galileoGoldenInputs } from '../../encoder/galileo-golden-cases.ts';
import type { GalileoCaseResult, GalileoWebReply, GalileoWebRequest } from './protocol.ts';

/**
 * Loads and configures onnxruntime-web as the app's encoder worker does for the execution
 * provider and runs each golden case through the graph of its patch size.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<GalileoWebRequest>) => {
  const { models, cases, executionProvider, threads, pixels } = event.data;
  let reply: GalileoWebReply;
  try {
    const ort = await loadOrtWeb(executionProvider);
    configureOrtWeb(ort, threads);
    const options = { executionProviders: [executionProvider], graphOptimizationLevel: 'all' as const };
    let sessionCreateMs = 0;
    const results: GalileoCaseResult[] = [];
    for (const c of cases) {
      const model = models[c.patch_size];
      if (!model) throw new Error(`no graph for patch ${c.patch_size}`);
      const t0 = performance.now();
      const session = await ort.InferenceSession.create(model, options);
      sessionCreateMs = Math.max(sessionCreateMs, performance.now() - t0);
      try {
        const i = galileoGoldenInputs(c);
        let expected = galileoExpected(c);
        const dims = [...i.dims];
        let { x, mask, month } = i;
        if (c.patch_size === 1 && pixels > 0) {
          const perSample = (dims[1] ?? 1) * (dims[2] ?? 13);
          dims[0] = pixels;
          x = x.slice(0, pixels * perSample);
          mask = mask.slice(0, pixels * perSample);
          month = month.slice(0, pixels * (dims[1] ?? 1));
          expected = expected.slice(0, pixels);
        }
        const out = await session.run({
          x: new ort.Tensor('float32', x, dims),
          mask: new ort.Tensor('float32', mask, dims),
          month: new ort.Tensor('int64', month, [dims[0] ?? 1, i.monthDims[1]]),
        });
        results.push({ name: c.name, ...compare(out.embedding?.data as Float32Array, expected) });
      } finally {
        await session.release();
      }
    }
    reply = { ok: true, ortVersion: ort.env.versions.web ?? 'unknown', sessionCreateMs, results };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  scope.postMessage(reply);
};
