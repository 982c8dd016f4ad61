import type { BenchWorkerReply, OrtBenchRequest, OrtBenchRun } from './bench-protocol.ts';

/** What differs between the bench pages: their worker and how they make its request. */
export interface BenchPage<Request extends OrtBenchRequest<object>> {
  /**
   * Starts the bench's worker. Called in the page's own module, as
   * `new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' })`, where Vite
   * finds and bundles it.
   */
  startWorker: () => Worker;
  /** The request, from the page's query string and whatever the page fetches first. */
  request: (query: URLSearchParams) => Request | Promise<Request>;
  /** Buffers handed to the worker rather than copied. */
  transfer?: (request: Request) => Transferable[];
}

/** The query parameters `names` as numbers; a missing or negative one is an error. */
export function queryNumbers<const Name extends string>(
  query: URLSearchParams,
  names: readonly Name[],
): Record<Name, number> {
  const out = {} as Record<Name, number>;
  for (const name of names) {
    const raw = query.get(name);
    const value = Number(raw);
    if (raw === null || raw === '' || !Number.isFinite(value) || value < 0)
      throw new Error(`Bad bench parameter ${name}=${raw}`);
    out[name] = value;
  }
  return out;
}

/** The worker's reply to one request; a worker that fails to load replies with that error. */
function askWorker<Reply>(
  worker: Worker,
  request: unknown,
  transfer: Transferable[],
): Promise<BenchWorkerReply<Reply>> {
  return new Promise((resolve) => {
    worker.onerror = (event) =>
      resolve({ ok: false, error: `worker error: ${event.message || 'failed to load the worker script'}` });
    worker.onmessage = (event: MessageEvent<BenchWorkerReply<Reply>>) => resolve(event.data);
    worker.postMessage(request, transfer);
  });
}

/**
 * The page side of an onnxruntime-web bench: runs one measurement in a dedicated module
 * worker, as the app encodes in workers/encoder.worker.ts, and leaves the run (or the error)
 * on window for the bench process, which waits for one of them (bench/web-bench.ts).
 */
export async function runBenchPage<Request extends OrtBenchRequest<object>>(
  page: BenchPage<Request>,
): Promise<void> {
  const status = document.getElementById('status');
  const finish = (text: string) => {
    if (status) status.textContent = text;
  };
  try {
    const request = await page.request(new URLSearchParams(location.search));
    const worker = page.startWorker();
    const reply = await askWorker<OrtBenchRun<unknown>>(worker, request, page.transfer?.(request) ?? []);
    worker.terminate();
    if (!reply.ok) throw new Error(reply.error);
    window.__benchResult = {
      ...reply.value,
      threads: request.threads,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
    finish('done');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    window.__benchError = message;
    finish(`error: ${message}`);
  }
}
