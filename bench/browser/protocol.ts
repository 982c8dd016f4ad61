import type { EncodeMeasurement, EncodeParams } from '../encode-loop.ts';

/** Page -> worker: one measurement with this many ORT threads. */
export interface WorkerRequest extends EncodeParams {
  threads: number;
}

/** Worker -> page. */
export type WorkerReply =
  | { ok: true; measurement: EncodeMeasurement; ortVersion: string }
  | { ok: false; error: string };

/** What the page leaves on window for the bench process to collect. */
export interface PageResult {
  measurement: EncodeMeasurement;
  ortVersion: string;
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  userAgent: string;
}

declare global {
  interface Window {
    __benchResult?: PageResult;
    __benchError?: string;
  }
}

/** Query-string parameters the bench process opens the page with. */
export function requestFromQuery(search: string): WorkerRequest {
  const q = new URLSearchParams(search);
  const num = (name: string, fallback: number): number => {
    const v = Number(q.get(name) ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`Bad bench parameter ${name}=${q.get(name)}`);
    return v;
  };
  return {
    threads: num('threads', 1),
    pixels: num('pixels', 1_000_000),
    batch: num('batch', 32_768),
    runs: num('runs', 3),
    seed: num('seed', 1),
  };
}
