import type { GoldenCase } from '../../encoder/presto-golden-cases.ts';

/** Page -> worker: run the model on every golden case with one execution provider. */
export interface PrestoWebRequest {
  model: Uint8Array;
  cases: GoldenCase[];
  executionProvider: 'wasm' | 'webgpu';
  threads: number;
}

export interface PrestoCaseResult {
  name: string;
  maxDiff: number;
  minCosine: number;
}

export type PrestoWebReply =
  | { ok: true; ortVersion: string; sessionCreateMs: number; results: PrestoCaseResult[] }
  | { ok: false; error: string };

declare global {
  interface Window {
    __prestoResult?: PrestoWebReply;
  }
}
