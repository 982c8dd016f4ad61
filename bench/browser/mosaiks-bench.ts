import type { MosaiksWorkerReply, MosaiksWorkerRequest } from './mosaiks-protocol.ts';

/**
 * Bench page: runs one MOSAIKS measurement in a dedicated module worker (as the app encodes in
 * a worker) and leaves the answer on window for the bench process.
 */
const status = document.getElementById('status');

function fail(message: string): void {
  window.__mosaiksBenchError = message;
  if (status) status.textContent = `error: ${message}`;
}

try {
  const q = new URLSearchParams(location.search);
  const num = (name: string): number => {
    const v = Number(q.get(name));
    if (!Number.isFinite(v) || v < 0) throw new Error(`Bad bench parameter ${name}=${q.get(name)}`);
    return v;
  };
  const request: MosaiksWorkerRequest = {
    threads: num('threads'),
    side: num('side'),
    runs: num('runs'),
    seed: num('seed'),
  };
  const worker = new Worker(new URL('./mosaiks-bench.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) => fail(`worker error: ${event.message || 'failed to load the worker script'}`);
  worker.onmessage = (event: MessageEvent<MosaiksWorkerReply>) => {
    const reply = event.data;
    worker.terminate();
    if (!reply.ok) return fail(reply.error);
    window.__mosaiksBenchResult = {
      measurement: reply.measurement,
      ortVersion: reply.ortVersion,
      threads: request.threads,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
    if (status) status.textContent = 'done';
  };
  worker.postMessage(request);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
