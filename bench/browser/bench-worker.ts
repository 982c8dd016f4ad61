import { configureOrtWeb, loadOrtWeb, type OrtWebModule } from '../../src/lib/encoder/ort.ts';
import type { BenchWorkerReply, OrtBenchRequest, OrtBenchRun } from './bench-protocol.ts';

/**
 * The worker side of a browser bench: answers each request with what `handle` returns, or
 * with the error it throws (stack included: the bench process prints it), so a failed
 * measurement reaches the page as a message instead of a silent worker.
 */
export function runBenchWorker<Request, Result>(handle: (request: Request) => Promise<Result>): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  scope.onmessage = async (event: MessageEvent<Request>) => {
    let reply: BenchWorkerReply<Result>;
    try {
      reply = { ok: true, value: await handle(event.data) };
    } catch (error) {
      reply = {
        ok: false,
        error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
      };
    }
    scope.postMessage(reply);
  };
}

/** The session options of the app's WASM sessions, which every ORT bench measures. */
const WASM_SESSION = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } as const;

/**
 * An onnxruntime-web bench worker: the build and settings workers/encoder.worker.ts uses for a
 * WASM session (plain WASM build served by the app at /ort/, no proxy worker), then
 * `measure`. ORT fixes its thread count when the WASM module is first instantiated, so the
 * page starts a new worker for every thread count.
 */
export function runOrtBenchWorker<Params, Measurement>(
  measure: (
    ort: OrtWebModule,
    request: OrtBenchRequest<Params>,
    sessionOptions: typeof WASM_SESSION,
  ) => Promise<Measurement>,
): void {
  runBenchWorker(async (request: OrtBenchRequest<Params>): Promise<OrtBenchRun<Measurement>> => {
    const ort = await loadOrtWeb('wasm');
    configureOrtWeb(ort, request.threads);
    const measurement = await measure(ort, request, WASM_SESSION);
    return { measurement, ortVersion: ort.env.versions.web ?? 'unknown' };
  });
}
