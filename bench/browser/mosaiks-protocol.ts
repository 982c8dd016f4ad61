import type { MosaiksBenchParams, MosaiksMeasurement } from '../mosaiks-loop.ts';

/** Page -> worker: one measurement with this many ORT threads. */
export interface MosaiksWorkerRequest extends MosaiksBenchParams {
  threads: number;
}

export type MosaiksWorkerReply =
  | { ok: true; measurement: MosaiksMeasurement; ortVersion: string }
  | { ok: false; error: string };

export interface MosaiksPageResult {
  measurement: MosaiksMeasurement;
  ortVersion: string;
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

declare global {
  interface Window {
    __mosaiksBenchResult?: MosaiksPageResult;
    __mosaiksBenchError?: string;
  }
}
