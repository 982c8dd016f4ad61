/** What the analysis GPU page/worker is asked to run, and what it answers. */
export interface AnalysisGpuRequest {
  width: number;
  height: number;
  dim: number;
  k: number;
  iterations: number;
  /** Timed similarity runs on each path. */
  runs: number;
  /** Cap on each GPU binding, to force several chunks (0 = the device limit). */
  maxBindingBytes: number;
}

export type AnalysisGpuReply =
  | {
      ok: true;
      adapter: string;
      fallbackAdapter: boolean;
      chunks: number;
      similarityGpuMs: number[];
      similarityCpuMs: number[];
      similarityMaxDiff: number;
      similarityNanMismatch: number;
      kmeansGpuMs: number;
      kmeansCpuMs: number;
      kmeansLabelDiffFraction: number;
      kmeansInertiaRel: number;
    }
  | { ok: false; error: string };
