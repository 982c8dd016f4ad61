/**
 * What the browser benches' pages, workers and bench process pass each other. Each bench
 * (spectral encoder, MOSAIKS, Presto) adds only its parameters and its measurement.
 */

/** Worker -> page: what the bench's handler returned, or the error it threw. */
export type BenchWorkerReply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Page -> worker for an onnxruntime-web bench: its parameters and the ORT thread count. */
export type OrtBenchRequest<Params> = Params & { threads: number };

/** An onnxruntime-web bench worker's answer: its measurement and the ORT that made it. */
export interface OrtBenchRun<Measurement> {
  measurement: Measurement;
  ortVersion: string;
}

/** What a bench page leaves on window for the bench process: the run and where it ran. */
export interface BenchPageResult<Measurement> extends OrtBenchRun<Measurement> {
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

/** Where the page leaves its result or its error; bench/web-bench.ts waits for either. */
declare global {
  interface Window {
    __benchResult?: BenchPageResult<unknown>;
    __benchError?: string;
  }
}
