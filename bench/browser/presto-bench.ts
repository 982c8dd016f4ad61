import type { PrestoWorkerReply, PrestoWorkerRequest } from './presto-protocol.ts';

/**
 * Bench page: fetches the model the bench process serves at /presto-bench/<file>, runs one
 * measurement in a dedicated module worker (as the app encodes in a worker), and leaves the
 * answer on window for the bench process.
 */
const status = document.getElementById('status');

function fail(message: string): void {
  window.__prestoBenchError = message;
  if (status) status.textContent = `error: ${message}`;
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const num = (name: string): number => {
    const v = Number(q.get(name));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`Bad bench parameter ${name}=${q.get(name)}`);
    return v;
  };
  const response = await fetch(`/presto-bench/${q.get('file') ?? ''}`);
  if (!response.ok) throw new Error(`model fetch answered HTTP ${response.status}`);
  const model = new Uint8Array(await response.arrayBuffer());
  const request: PrestoWorkerRequest = {
    model,
    threads: num('threads'),
    pixels: num('pixels'),
    batch: num('batch'),
    runs: num('runs'),
    seed: num('seed'),
    warmupMs: num('warmupMs'),
  };
  const worker = new Worker(new URL('./presto-bench.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) => fail(`worker error: ${event.message || 'failed to load the worker script'}`);
  worker.onmessage = (event: MessageEvent<PrestoWorkerReply>) => {
    const reply = event.data;
    worker.terminate();
    if (!reply.ok) return fail(reply.error);
    window.__prestoBenchResult = {
      measurement: reply.measurement,
      ortVersion: reply.ortVersion,
      threads: request.threads,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
    if (status) status.textContent = 'done';
  };
  worker.postMessage(request, [model.buffer]);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
