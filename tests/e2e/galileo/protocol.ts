import type { GalileoGoldenCase } from '../../encoder/galileo-golden-cases.ts';

/** Page -> worker: run the converted graphs on every golden case with one execution provider. */
export interface GalileoWebRequest {
  /** Graph bytes by patch size (1 = pixel mode). */
  models: Record<number, Uint8Array>;
  cases: GalileoGoldenCase[];
  executionProvider: 'wasm' | 'webgpu';
  threads: number;
  /** > 0: only the first `pixels` samples of the pixel cases (SwiftShader is slow). */
  pixels: number;
}

export interface GalileoCaseResult {
  name: string;
  maxDiff: number;
  minCosine: number;
}

export type GalileoWebReply =
  | { ok: true; ortVersion: string; sessionCreateMs: number; results: GalileoCaseResult[] }
  | { ok: false; error: string };

declare global {
  interface Window {
    __galileoResult?: GalileoWebReply;
  }
}
