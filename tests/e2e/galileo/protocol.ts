import type { GalileoGoldenCase } from '../../encoder/galileo-golden-cases.ts';

/** What the test asks the page for: one execution provider, one or more weight types. */
export interface GalileoWebPlan {
  executionProvider: 'wasm' | 'webgpu';
  threads: number;
  /** > 0: only the first `pixels` samples of the pixel cases (SwiftShader is slow). */
  pixels: number;
  /** Each weight type with the golden cases it runs. */
  runs: { dtype: string; cases: string[] }[];
}

/** One weight type's graphs (bytes by patch size, 1 = pixel mode) and the cases to run. */
export interface GalileoWebRun {
  dtype: string;
  models: Record<number, Uint8Array>;
  cases: GalileoGoldenCase[];
}

/**
 * Page -> worker: every run in one worker, so onnxruntime-web and (for WebGPU) the device
 * are set up once.
 */
export interface GalileoWebRequest {
  runs: GalileoWebRun[];
  executionProvider: 'wasm' | 'webgpu';
  threads: number;
  pixels: number;
}

export interface GalileoCaseResult {
  name: string;
  maxDiff: number;
  minCosine: number;
}

/** One weight type's outcome; sessionCreateMs is the slowest of its sessions. */
export interface GalileoRunResult {
  dtype: string;
  sessionCreateMs: number;
  results: GalileoCaseResult[];
}

export type GalileoWebReply =
  | { ok: true; ortVersion: string; runs: GalileoRunResult[] }
  | { ok: false; error: string };

declare global {
  interface Window {
    __galileoResult?: GalileoWebReply;
  }
}
