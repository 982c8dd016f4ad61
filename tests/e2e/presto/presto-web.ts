import type { GoldenCase } from '../../encoder/presto-golden-cases.ts';
import type { PrestoWebReply, PrestoWebRequest } from './protocol.ts';

/**
 * Test page: fetches the model and the golden cases (the test process serves both), runs
 * them in a dedicated module worker as the app's encoder worker would, and leaves the reply
 * on window for the test to read.
 */
const status = document.getElementById('status');

function firstPixels(c: GoldenCase, n: number): GoldenCase {
  return {
    ...c,
    shape: [Math.min(n, c.shape[0]), c.shape[1], c.shape[2]],
    x_raw: c.x_raw.slice(0, n),
    mask: c.mask.slice(0, n),
    dynamic_world: c.dynamic_world.slice(0, n),
    latlon: c.latlon.slice(0, n),
    month: c.month.slice(0, n),
    embedding: c.embedding.slice(0, n),
  };
}

function finish(reply: PrestoWebReply): void {
  window.__prestoResult = reply;
  if (status) status.textContent = reply.ok ? 'done' : `error: ${reply.error}`;
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const executionProvider = query.get('ep') === 'webgpu' ? 'webgpu' : 'wasm';
  const dtypes = (query.get('dtypes') ?? 'fp32').split(',').filter(Boolean);
  const only = (query.get('cases') ?? '').split(',').filter(Boolean);
  const [models, golden] = await Promise.all([
    Promise.all(
      dtypes.map(async (dtype) => {
        const response = await fetch(`/presto-e2e/model-${dtype}.onnx`);
        return { dtype, bytes: new Uint8Array(await response.arrayBuffer()) };
      }),
    ),
    fetch('/presto-e2e/golden.json').then(async (r) => (await r.json()) as { cases: GoldenCase[] }),
  ]);
  const worker = new Worker(new URL('./presto-web.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) =>
    finish({ ok: false, error: `worker error: ${event.message || 'failed to load'}` });
  worker.onmessage = (event: MessageEvent<PrestoWebReply>) => {
    worker.terminate();
    finish(event.data);
  };
  // WebGPU on SwiftShader is slow: the test may ask for the first few pixels of each case only.
  const pixels = Number(query.get('pixels') ?? 0);
  const chosen = golden.cases.filter((c) => only.length === 0 || only.includes(c.name));
  const cases = pixels > 0 ? chosen.map((c) => firstPixels(c, pixels)) : chosen;
  const request: PrestoWebRequest = {
    models,
    cases,
    executionProvider,
    threads: Number(query.get('threads') ?? 1),
  };
  worker.postMessage(
    request,
    models.map((m) => m.bytes.buffer),
  );
}

main().catch((error: unknown) =>
  finish({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
