import { requestFromQuery, type WorkerReply } from './protocol.ts';

/**
 * Bench page: runs one measurement in a dedicated module worker, as the app encodes in
 * workers/encoder.worker.ts, and leaves the answer on window for the bench process.
 */
const status = document.getElementById('status');

function fail(message: string): void {
  window.__benchError = message;
  if (status) status.textContent = `error: ${message}`;
}

try {
  const request = requestFromQuery(location.search);
  const worker = new Worker(new URL('./encoder-bench.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) => fail(`worker error: ${event.message || 'failed to load the worker script'}`);
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    worker.terminate();
    if (!reply.ok) return fail(reply.error);
    window.__benchResult = {
      measurement: reply.measurement,
      ortVersion: reply.ortVersion,
      threads: request.threads,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
    };
    if (status) status.textContent = 'done';
  };
  worker.postMessage(request);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
