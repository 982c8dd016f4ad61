import type { PrestoMeasurement, PrestoParams } from '../presto-loop.ts';

/** Page -> worker: one measurement of one model with this many ORT threads. */
export interface PrestoWorkerRequest extends PrestoParams {
  threads: number;
  model: Uint8Array;
}

export type PrestoWorkerReply =
  | { ok: true; measurement: PrestoMeasurement; ortVersion: string }
  | { ok: false; error: string };

export interface PrestoPageResult {
  measurement: PrestoMeasurement;
  ortVersion: string;
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

declare global {
  interface Window {
    __prestoBenchResult?: PrestoPageResult;
    __prestoBenchError?: string;
  }
}
