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
  const [model, golden] = await Promise.all([
    fetch('/presto-e2e/model.onnx').then(async (r) => new Uint8Array(await r.arrayBuffer())),
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
  const cases = pixels > 0 ? golden.cases.map((c) => firstPixels(c, pixels)) : golden.cases;
  const request: PrestoWebRequest = {
    model,
    cases,
    executionProvider,
    threads: Number(query.get('threads') ?? 1),
  };
  worker.postMessage(request, [model.buffer]);
}

main().catch((error: unknown) =>
  finish({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
