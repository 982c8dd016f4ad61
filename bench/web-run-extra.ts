import { median } from './report.ts';

/** What every in-browser encoder run reports beside its throughput. */
export interface WebRun {
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  measurement: { sessionCreateMs: number; firstRunMs: number; passMs: number[] };
}

/** How many threads ORT really had, in words for an entry's notes. */
export function describeThreading(run: WebRun): string {
  return run.crossOriginIsolated
    ? `${run.threads} thread(s), page cross-origin isolated`
    : `${run.threads} thread(s) requested but the page is NOT cross-origin isolated, so ORT ran 1 thread`;
}

/** The `extra` fields of a browser encoder entry: threading, session creation, first run, passes. */
export function webRunExtra(run: WebRun): Record<string, number | string | boolean> {
  const m = run.measurement;
  return {
    threads: run.threads,
    cross_origin_isolated: run.crossOriginIsolated,
    hardware_concurrency: run.hardwareConcurrency,
    session_create_ms: m.sessionCreateMs,
    first_run_ms: m.firstRunMs,
    median_pass_ms: median(m.passMs),
    pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
  };
}
