import type { GridSpec } from '../../../src/lib/geo/index.ts';

/** One read the test asks the page's worker for. */
export interface TesseraReadRequest {
  baseUrl: string;
  year: number;
  grid: GridSpec;
}

/** What came back: a digest of the embeddings (the test compares it with Node's), or the error. */
export type TesseraReadReply =
  | {
      ok: true;
      label: string;
      valid: number;
      /** Sum of every value of the valid pixels, in float64. */
      sum: number;
      /** The first valid pixel's index and vector. */
      first: { pixel: number; vector: number[] };
      fetched: { requests: number; bytes: number };
      progressSteps: number;
    }
  | { ok: false; code: string; message: string };

export interface TesseraHarness {
  read(request: TesseraReadRequest): Promise<TesseraReadReply>;
}

declare global {
  interface Window {
    tesseraHarness?: TesseraHarness;
  }
}
