import type { InferenceSession } from 'onnxruntime-web';
import { configureOrtWeb, loadOrtWeb } from '../../../src/lib/encoder/ort.ts';
import {
  compare,
  type GalileoGoldenCase,
  galileoExpected,
  galileoGoldenInputs,
} from '../../encoder/galileo-golden-cases.ts';
import type { GalileoCaseResult, GalileoRunResult, GalileoWebReply, GalileoWebRequest } from './protocol.ts';

/**
 * Loads and configures onnxruntime-web as the app's encoder worker does for the execution
 * provider and runs each golden case through the graph of its patch size: one session per
 * graph, reused by every case of that graph (as the app reuses its session).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

type Ort = Awaited<ReturnType<typeof loadOrtWeb>>;

async function runCase(
  ort: Ort,
  session: InferenceSession,
  c: GalileoGoldenCase,
  pixels: number,
): Promise<GalileoCaseResult> {
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
  return { name: c.name, ...compare(out.embedding?.data as Float32Array, expected) };
}

scope.onmessage = async (event: MessageEvent<GalileoWebRequest>) => {
  const { runs, executionProvider, threads, pixels } = event.data;
  let reply: GalileoWebReply;
  try {
    const ort = await loadOrtWeb(executionProvider);
    configureOrtWeb(ort, threads);
    const options = { executionProviders: [executionProvider], graphOptimizationLevel: 'all' as const };
    const outcomes: GalileoRunResult[] = [];
    for (const run of runs) {
      const sessions = new Map<number, InferenceSession>();
      let sessionCreateMs = 0;
      const results: GalileoCaseResult[] = [];
      try {
        for (const c of run.cases) {
          let session = sessions.get(c.patch_size);
          if (!session) {
            const model = run.models[c.patch_size];
            if (!model) throw new Error(`no ${run.dtype} graph for patch ${c.patch_size}`);
            const t0 = performance.now();
            session = await ort.InferenceSession.create(model, options);
            sessionCreateMs = Math.max(sessionCreateMs, performance.now() - t0);
            sessions.set(c.patch_size, session);
          }
          results.push(await runCase(ort, session, c, pixels));
        }
      } finally {
        for (const session of sessions.values()) await session.release();
      }
      outcomes.push({ dtype: run.dtype, sessionCreateMs, results });
    }
    reply = { ok: true, ortVersion: ort.env.versions.web ?? 'unknown', runs: outcomes };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  scope.postMessage(reply);
};
