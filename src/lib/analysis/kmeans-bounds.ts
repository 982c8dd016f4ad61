import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import type { Assigner, AssignPass } from './kmeans-assign.ts';
import type { BoundedFn } from './wasm/kmeans-bounded-kernel.ts';
import { type WasmGrid, wasmGrid } from './wasm/wasm-grid.ts';

/**
 * The kernel's margin on a score |c|^2 - 2 x.c per unit of |x|^2 + max |c|^2. Its f32 rounding
 * error is below (dim / 4 + 6) * 2^-24 of that (dot products summed dim / 4 deep per lane, the
 * lane sum, |c|^2, the subtraction); this is over four times as much, so the f32 arithmetic on
 * the bounds themselves (a few roundings of 2^-24 each) fits in it too.
 */
function marginPerUnit(dim: number): number {
  return (dim / 4 + 32) * 2 ** -22;
}

/** Members per call of the kernel. */
const CALL_MEMBERS = 1 << 16;

/** An f32 just above x >= 0: x raised by more than f32 rounding can take off. */
function f32Up(x: number): number {
  return Math.fround(x * (1 + 2 ** -22));
}

/** An f32 just below x >= 0. */
function f32Down(x: number): number {
  return Math.fround(x * (1 - 2 ** -22));
}

function distance(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const t = a[ao + d]! - b[bo + d]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Per-pass geometry for the kernel, from the f32 centroids `cent` (k x dim) it scores. */
interface PassTables {
  /** |c|^2 in float64 (the kernel gets them as f32). */
  cn: Float64Array;
  cnMax: number;
  /** Each centroid's move since the previous pass, rounded up; padded with 0 to kPad. */
  drift: Float32Array;
  /** Centroid-to-centroid distances, k x kPad, rounded down; +Inf on the diagonal and padding. */
  cc: Float32Array;
  /** Each centroid's distance to the nearest other, rounded down. */
  minCc: Float32Array;
  /**
   * Whether the bounds can rule much out: not when some centroid moved more than half the
   * smallest distance between two centroids (after the first pass, seeds jump to means), as
   * then nearly every centroid is in doubt and scoring all of them, two members at a time,
   * is faster than one at a time.
   */
  useful: boolean;
}

/**
 * The tables for one pass. `slack` is added to every drift: the bounds are f32 and each pass
 * rounds them once, by less than 2^-24 of the largest distance; adding 2^-21 of it keeps them
 * bounds.
 */
function passTables(
  cent: Float32Array,
  previous: Float32Array | undefined,
  k: number,
  slack: number,
): PassTables {
  const dim = cent.length / k;
  const kPad = Math.ceil(k / 4) * 4;
  const cn = new Float64Array(k);
  const drift = new Float32Array(kPad);
  const cc = new Float32Array(k * kPad).fill(Number.POSITIVE_INFINITY);
  const minCc = new Float32Array(k).fill(Number.POSITIVE_INFINITY);
  let cnMax = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let d = 0, o = c * dim; d < dim; d++) s += cent[o + d]! * cent[o + d]!;
    cn[c] = s;
    cnMax = Math.max(cnMax, s);
    for (let other = 0; other < c; other++) {
      const between = f32Down(distance(cent, c * dim, cent, other * dim, dim));
      cc[c * kPad + other] = between;
      cc[other * kPad + c] = between;
      minCc[c] = Math.min(minCc[c]!, between);
      minCc[other] = Math.min(minCc[other]!, between);
    }
    drift[c] = previous
      ? f32Up(distance(cent, c * dim, previous, c * dim, dim) + slack)
      : Number.POSITIVE_INFINITY;
  }
  let driftMax = 0;
  let separation = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    driftMax = Math.max(driftMax, drift[c]!);
    separation = Math.min(separation, minCc[c]!);
  }
  return { cn, cnMax, drift, cc, minCc, useful: 2 * driftMax < separation };
}

/**
 * Assigner running Elkan's algorithm on a WebAssembly SIMD kernel (dimension a multiple of 4).
 * Each member keeps an upper bound on its distance to its own centroid and a lower bound on
 * its distance to every centroid; when the centroids move, the bounds move by the drifts, and
 * a centroid is scored only when the bounds (or the distance between it and the member's
 * centroid) cannot rule it out. After the first few passes most members need one or two
 * scores instead of k, and some are not read at all.
 *
 * Same labels as Lloyd with every distance computed: scores are the Lloyd kernel's f32 scores,
 * bit for bit, and a centroid is ruled out only when it is farther by more than twice their
 * worst rounding error, so its score could not have won. Members moving label move between
 * the sums (f64, updated in place rather than rebuilt); the inertia follows from the sums,
 * sum |x|^2 - 2 sum_c c.S_c + sum_c n_c |c|^2. With `bounds` false every pass scores every
 * centroid with the same code and sums: the reference the bounds are tested against.
 */
export interface BoundedAssigner extends Assigner {
  /** (member, centroid) scores the last pass computed, per member: k without the bounds. */
  scoresPerMember(): number;
}

export function createBoundedAssigner(
  grid: EmbeddingGrid,
  members: Uint32Array,
  bounds = true,
): BoundedAssigner {
  const w: WasmGrid = wasmGrid(grid);
  const { layout } = w;
  const at = layout.bounded;
  if (!at) throw new AppError('internal', 'The WebAssembly copy of the grid has no room for bounds.');
  const { dim } = grid;
  const n = members.length;
  const buffer = w.memory.buffer;
  new Uint32Array(buffer, layout.idx, n).set(members);
  const labels = new Uint8Array(buffer, layout.labels, n).fill(255);
  const xn = new Float32Array(buffer, layout.xn, n);
  const pixelNorms = new Float32Array(buffer, layout.norms, grid.width * grid.height);
  let normTotal = 0;
  let normMax = 0;
  for (let j = 0; j < n; j++) {
    const p = members[j]!;
    xn[j] = pixelNorms[p]!;
    normTotal += w.norms[p]!;
    normMax = Math.max(normMax, w.norms[p]!);
  }
  const gamma = marginPerUnit(dim);
  const scoredView = new Int32Array(buffer, at.scored, 1);
  /** The f32 centroids of the last pass; undefined before the first. */
  let previous: Float32Array | undefined;
  /** Whether the bounds hold (not before the first pass, nor after labels changed outside). */
  let boundsHold = false;
  let scale = 0;
  let k = 0;
  let cnMax = 0;

  /**
   * One kernel function over all members, in calls of CALL_MEMBERS: V8 first runs a fresh
   * module's code unoptimised and switches to the optimised code at the next call, so a
   * first pass made of one call would run unoptimised throughout.
   */
  const run = (fn: BoundedFn): number => {
    let changed = 0;
    for (let from = 0; from < n; from += CALL_MEMBERS) {
      const to = Math.min(n, from + CALL_MEMBERS);
      changed += fn(
        from,
        to,
        layout.idx,
        0,
        layout.xn,
        layout.cent,
        layout.cn,
        layout.labels,
        at.upper,
        at.lower,
        at.own,
        at.sums,
        at.counts,
        at.drift,
        at.cc,
        at.minCc,
        gamma,
        cnMax,
        at.scored,
      );
    }
    return changed;
  };

  return {
    labels,
    assign(centroids, sums, counts): AssignPass {
      k = counts.length;
      const kernel = w.bounded(k);
      const cent = new Float32Array(buffer, layout.cent, k * dim);
      cent.set(centroids);
      let cnMaxNow = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let d = 0, o = c * dim; d < dim; d++) s += cent[o + d]! ** 2;
        cnMaxNow = Math.max(cnMaxNow, s);
      }
      scale = Math.max(scale, Math.sqrt(normMax) + Math.sqrt(cnMaxNow));
      const tables = passTables(cent, previous, k, scale * 2 ** -21);
      cnMax = f32Up(tables.cnMax);
      new Float32Array(buffer, layout.cn, k).set(tables.cn);
      new Float32Array(buffer, at.drift, tables.drift.length).set(tables.drift);
      new Float32Array(buffer, at.cc, tables.cc.length).set(tables.cc);
      new Float32Array(buffer, at.minCc, k).set(tables.minCc);
      const passSums = new Float64Array(buffer, at.sums, k * dim);
      const passCounts = new Int32Array(buffer, at.counts, k);
      passSums.set(sums);
      passCounts.set(counts);
      scoredView[0] = 0;
      const changed = run(bounds && boundsHold && tables.useful ? kernel.boundedPass : kernel.searchAll);
      boundsHold = true;
      sums.set(passSums);
      let inertia = normTotal;
      for (let c = 0; c < k; c++) {
        counts[c] = passCounts[c]!;
        let dot = 0;
        for (let d = 0, o = c * dim; d < dim; d++) dot += cent[o + d]! * passSums[o + d]!;
        inertia += counts[c]! * tables.cn[c]! - 2 * dot;
      }
      previous ??= new Float32Array(k * dim);
      previous.set(cent);
      return { inertia: Math.max(0, inertia), changed };
    },
    distances() {
      run(w.bounded(k).ownScores);
      const own = new Float32Array(buffer, at.own, n);
      const dist = new Float32Array(n);
      for (let j = 0; j < n; j++) dist[j] = Math.max(0, w.norms[members[j]!]! + own[j]!);
      return dist;
    },
    labelsChanged() {
      boundsHold = false;
    },
    scoresPerMember: () => scoredView[0]! / n,
    dispose() {},
  };
}
