import type { EmbeddingGrid } from '../embeddings/index.ts';

/** What reseedEmpty reads and updates: per-member labels and squared distances. */
interface MemberState {
  readonly labels: Uint8Array;
  readonly dist: Float32Array;
}

/**
 * Moves each empty cluster onto the member currently farthest from its centroid (first such
 * member on ties, so it is deterministic), taking that member from a cluster that keeps at
 * least one member. Returns how many members moved and the inertia that removed.
 */
export function reseedEmpty(
  grid: EmbeddingGrid,
  members: Uint32Array,
  state: MemberState,
  centroids: Float64Array,
  sums: Float64Array,
  counts: Uint32Array,
): { moved: number; removed: number } {
  const { data, dim } = grid;
  const { labels, dist } = state;
  let moved = 0;
  let removed = 0;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] !== 0) continue;
    let far = -1;
    let farDist = 0;
    for (let j = 0; j < members.length; j++) {
      if (dist[j]! > farDist && counts[labels[j]!]! > 1) {
        far = j;
        farDist = dist[j]!;
      }
    }
    if (far < 0) continue; // every member sits on a centroid: fewer distinct points than k
    const base = members[far]! * dim;
    const old = labels[far]!;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d]!;
      sums[old * dim + d]! -= x;
      sums[c * dim + d] = x;
      centroids[c * dim + d] = x;
    }
    counts[old]!--;
    counts[c] = 1;
    labels[far] = c;
    dist[far] = 0;
    removed += farDist;
    moved++;
  }
  return { moved, removed };
}
