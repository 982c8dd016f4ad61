import type { EmbeddingGrid } from '../embeddings/index.ts';

/** Outcome of one fused assignment + accumulation pass over the valid pixels. */
export interface AssignPass {
  /** Sum of squared distances to the assigned centroids. */
  inertia: number;
  /** Members whose label changed in this pass. */
  changed: number;
}

/**
 * One implementation of the Lloyd hot loop. Works on the dense list of valid pixels
 * (`members`); labels are per member.
 */
export interface Assigner {
  readonly labels: Uint8Array;
  /**
   * One pass: labels each member with its nearest centroid; on return sums/counts are the
   * member sums and counts per cluster. Some assigners update them rather than rebuild them,
   * so callers pass the same arrays every pass, as the last pass (and re-seeding) left them.
   */
  assign(centroids: Float64Array, sums: Float64Array, counts: Uint32Array): AssignPass;
  /** Squared distance of each member to its centroid in the last pass (for re-seeding). */
  distances(): Float32Array;
  /** Labels were changed outside assign (re-seeding): forget what was derived from them. */
  labelsChanged(): void;
  /** Frees memory the assigner holds beyond the grid (idempotent). */
  dispose(): void;
}

/**
 * Plain-JS assigner, exact float64 distances. Used for dimensions the SIMD kernel does not
 * take (not a multiple of 4) and where WebAssembly SIMD is missing.
 */
export function createJsAssigner(grid: EmbeddingGrid, members: Uint32Array): Assigner {
  const { data, dim } = grid;
  const n = members.length;
  const labels = new Uint8Array(n).fill(255);
  const dist = new Float32Array(n);
  return {
    labels,
    distances: () => dist,
    labelsChanged() {},
    assign(centroids, sums, counts) {
      sums.fill(0);
      counts.fill(0);
      const k = counts.length;
      let inertia = 0;
      let changed = 0;
      for (let j = 0; j < n; j++) {
        const base = members[j]! * dim;
        let best = Number.POSITIVE_INFINITY;
        let bestC = 0;
        for (let c = 0, o = 0; c < k; c++, o += dim) {
          let s = 0;
          for (let d = 0; d < dim; d++) {
            const t = data[base + d]! - centroids[o + d]!;
            s += t * t;
          }
          if (s < best) {
            best = s;
            bestC = c;
          }
        }
        if (labels[j] !== bestC) {
          labels[j] = bestC;
          changed++;
        }
        dist[j] = best;
        inertia += best;
        counts[bestC]!++;
        for (let d = 0, o = bestC * dim; d < dim; d++) sums[o + d]! += data[base + d]!;
      }
      return { inertia, changed };
    },
    dispose() {},
  };
}
