import { AppError } from '../errors.ts';
import { topKPlaces } from './top-k.ts';

/**
 * How far two similarity maps of the same click on the same grid agree (e.g. AlphaEarth's
 * and Presto's embeddings of one area): do they rank the places alike, and do they point at
 * the same best places?
 */
export interface Agreement {
  /** Spearman's rank correlation over the pixels valid in both maps, in [-1, 1]; NaN under 2 pixels. */
  spearman: number;
  /** Pixels valid in both maps (all of them enter the correlation: no subsample). */
  pixels: number;
  /** Places of A's top-k that have one of B's top-k within `radiusPx`. */
  shared: number;
  k: number;
  radiusPx: number;
  /** The two top-k lists (pixel indices), best first. */
  topA: number[];
  topB: number[];
}

export interface AgreementOptions {
  /** Places compared (default 10), chosen as the app's top-10 list is: no two within `separationPx`. */
  k?: number;
  separationPx?: number;
  /** A place of A and one of B count as the same place within this many pixels (default 5, half the separation). */
  radiusPx?: number;
}

/** Largest n whose pixel index fits the 21 bits left beside a 32-bit sort key in a float64. */
const PACKED_MAX = 2 ** 21;

/**
 * Ranks 1..n of `values` (ties get the mean of the ranks they span), as Spearman's
 * correlation defines them. Each float32 value becomes an order-preserving 32-bit integer,
 * packed with its index into one exact float64 (32 + 21 bits < 53), so a native numeric sort
 * of a typed array orders them (an index sort with a comparator is ~10x slower); runs of
 * equal keys then share the mean of their ranks. Over 2^21 values: the comparator sort.
 */
export function averageRanks(values: Float32Array): Float64Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  const keyOf = (i: number): number => {
    // -0 and +0 are equal values: one key.
    if (values[i] === 0) return 0x80000000;
    const b = bits[i]!;
    // Negative floats: all bits flipped; positive: sign bit set. Then integers order as floats.
    return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  };
  const order = new Uint32Array(n);
  const keys = new Uint32Array(n);
  if (n <= PACKED_MAX) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = keyOf(i) * PACKED_MAX + i;
    packed.sort();
    for (let t = 0; t < n; t++) {
      const v = packed[t]!;
      const i = v % PACKED_MAX;
      order[t] = i;
      keys[t] = (v - i) / PACKED_MAX;
    }
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => values[a]! - values[b]!);
    for (let t = 0; t < n; t++) keys[t] = keyOf(order[t]!);
  }
  const ranks = new Float64Array(n);
  let lo = 0;
  while (lo < n) {
    let hi = lo + 1;
    while (hi < n && keys[hi] === keys[lo]) hi++;
    // Sorted positions lo..hi-1 (0-based) share the mean of ranks lo+1..hi.
    const rank = (lo + 1 + hi) / 2;
    for (let t = lo; t < hi; t++) ranks[order[t]!] = rank;
    lo = hi;
  }
  return ranks;
}

/** Pearson correlation of two equally long series; NaN when either is constant or n < 2. */
function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * Agreement of two similarity maps (`a`, `b`: width * height scores, NaN = no data). Exact:
 * every pixel valid in both is ranked (sorting a million pixels takes well under a second, so
 * no subsample is needed). The top-k of each map is taken over those common pixels only, so
 * a place one map cannot see is not counted against the other.
 */
export function similarityAgreement(
  a: Float32Array,
  b: Float32Array,
  width: number,
  height: number,
  options: AgreementOptions = {},
): Agreement {
  const pixels = width * height;
  if (a.length !== pixels || b.length !== pixels)
    throw new AppError(
      'bad-input',
      `The two similarity maps cover ${a.length} and ${b.length} pixels; both must cover the same ${width} x ${height} grid.`,
    );
  const k = options.k ?? 10;
  const separationPx = options.separationPx ?? 10;
  const radiusPx = options.radiusPx ?? separationPx / 2;
  const maskedA = new Float32Array(pixels).fill(Number.NaN);
  const maskedB = new Float32Array(pixels).fill(Number.NaN);
  let n = 0;
  for (let p = 0; p < pixels; p++) if (Number.isFinite(a[p]!) && Number.isFinite(b[p]!)) n++;
  const xa = new Float32Array(n);
  const xb = new Float32Array(n);
  let i = 0;
  for (let p = 0; p < pixels; p++) {
    const va = a[p]!;
    const vb = b[p]!;
    if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
    xa[i] = va;
    xb[i++] = vb;
    maskedA[p] = va;
    maskedB[p] = vb;
  }
  const spearman = pearson(averageRanks(xa), averageRanks(xb));
  const top = (s: Float32Array) =>
    topKPlaces(s, width, height, { k, minSeparationPx: separationPx }).map((p) => p.index);
  const topA = top(maskedA);
  const topB = top(maskedB);
  const r2 = radiusPx * radiusPx;
  const near = (p: number, q: number) => {
    const dc = (p % width) - (q % width);
    const dr = Math.floor(p / width) - Math.floor(q / width);
    return dc * dc + dr * dr <= r2;
  };
  const shared = topA.filter((p) => topB.some((q) => near(p, q))).length;
  return { spearman, pixels: n, shared, k, radiusPx, topA, topB };
}
