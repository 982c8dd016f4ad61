import type { GalileoGoldenFile } from '../../encoder/galileo-golden-cases.ts';
import type { GalileoWebReply, GalileoWebRequest } from './protocol.ts';

/**
 * Test page: fetches the graphs and both golden files (the test process serves them), runs
 * them in a dedicated module worker as the app's encoder worker would, and leaves the reply
 * on window for the test to read.
 */
const status = document.getElementById('status');

function finish(reply: GalileoWebReply): void {
  window.__galileoResult = reply;
  if (status) status.textContent = reply.ok ? 'done' : `error: ${reply.error}`;
}

const bytes = async (url: string): Promise<Uint8Array> =>
  new Uint8Array(await (await fetch(url)).arrayBuffer());

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const executionProvider = query.get('ep') === 'webgpu' ? 'webgpu' : 'wasm';
  const only = (query.get('cases') ?? '').split(',').filter(Boolean);
  const [p1, p4, p8, golden, pixelGolden] = await Promise.all([
    bytes('/galileo-e2e/p1.onnx'),
    bytes('/galileo-e2e/p4.onnx'),
    bytes('/galileo-e2e/p8.onnx'),
    fetch('/galileo-e2e/golden.json').then(async (r) => (await r.json()) as GalileoGoldenFile),
    fetch('/galileo-e2e/golden-pixels.json').then(async (r) => (await r.json()) as GalileoGoldenFile),
  ]);
  const cases = [...golden.cases, ...pixelGolden.cases].filter(
    (c) => only.length === 0 || only.includes(c.name),
  );
  const worker = new Worker(new URL('./galileo-web.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) =>
    finish({ ok: false, error: `worker error: ${event.message || 'failed to load'}` });
  worker.onmessage = (event: MessageEvent<GalileoWebReply>) => {
    worker.terminate();
    finish(event.data);
  };
  const request: GalileoWebRequest = {
    models: { 1: p1, 4: p4, 8: p8 },
    cases,
    executionProvider,
    threads: Number(query.get('threads') ?? 1),
    pixels: Number(query.get('pixels') ?? 0),
  };
  worker.postMessage(request, [p1.buffer, p4.buffer, p8.buffer]);
}

main().catch((error: unknown) =>
  finish({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
