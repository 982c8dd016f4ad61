import type { GoldenCase } from '../../encoder/presto-golden-cases.ts';

/** One graph to run on every case: its weight type and bytes. */
export interface PrestoWebModel {
  dtype: string;
  bytes: Uint8Array;
}

/**
 * Page -> worker: run each model on every golden case with one execution provider. Several
 * models share one worker so onnxruntime-web and (for WebGPU) the device are set up once.
 */
export interface PrestoWebRequest {
  models: PrestoWebModel[];
  cases: GoldenCase[];
  executionProvider: 'wasm' | 'webgpu';
  threads: number;
}

export interface PrestoCaseResult {
  name: string;
  maxDiff: number;
  minCosine: number;
}

/** One model's outcome. */
export interface PrestoModelResult {
  dtype: string;
  sessionCreateMs: number;
  results: PrestoCaseResult[];
}

export type PrestoWebReply =
  | { ok: true; ortVersion: string; models: PrestoModelResult[] }
  | { ok: false; error: string };

declare global {
  interface Window {
    __prestoResult?: PrestoWebReply;
  }
}
