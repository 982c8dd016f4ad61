import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import { mulberry32, type Rng, randomInt } from '../math/index.ts';

// The seeded primitives live in math/ (the encoder samples MOSAIKS filters with them too);
// re-exported so analysis code keeps one place to import its randomness from.
export { mulberry32, type Rng, randomInt, randomNormal, sampleWithoutReplacement } from '../math/index.ts';

/**
 * A grid of random unit vectors (isotropic: normalised Gaussian draws), every pixel valid.
 * Meant for benchmarks and tests, where a realistic scene is not needed.
 */
export function makeRandomGrid(width: number, height: number, dim: number, seed: number): EmbeddingGrid {
  const grid = createEmbeddingGrid(width, height, dim);
  const rng = mulberry32(seed);
  const data = grid.data;
  // Both Box-Muller deviates are used here (half the logarithms and cosines of randomNormal):
  // benchmarks build grids of 128 million values.
  let spare = Number.NaN;
  for (let base = 0; base < data.length; base += dim) {
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      let x = spare;
      if (Number.isNaN(x)) {
        const r = Math.sqrt(-2 * Math.log(1 - rng()));
        const t = 2 * Math.PI * rng();
        x = r * Math.cos(t);
        spare = r * Math.sin(t);
      } else {
        spare = Number.NaN;
      }
      data[base + d] = x;
      ss += x * x;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let d = 0; d < dim; d++) data[base + d] = data[base + d]! * inv;
  }
  return grid;
}

/**
 * d2[j] = min(d2[j], |rows[j] - seed|^2) in float64. Four rows per pass over the seed: four
 * independent sums in flight, each still added in d order, so every value is as a one-row
 * loop computes it.
 */
function nearestSeedDistances(rows: Float32Array, dim: number, seed: Float64Array, d2: Float64Array): void {
  const m = d2.length;
  const keep = (j: number, s: number) => {
    if (s < d2[j]!) d2[j] = s;
  };
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const b0 = j * dim;
    const b1 = b0 + dim;
    const b2 = b1 + dim;
    const b3 = b2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < dim; d++) {
      const c = seed[d]!;
      const t0 = rows[b0 + d]! - c;
      const t1 = rows[b1 + d]! - c;
      const t2 = rows[b2 + d]! - c;
      const t3 = rows[b3 + d]! - c;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    keep(j, s0);
    keep(j + 1, s1);
    keep(j + 2, s2);
    keep(j + 3, s3);
  }
  for (; j < m; j++) {
    let s = 0;
    for (let d = 0, b = j * dim; d < dim; d++) {
      const t = rows[b + d]! - seed[d]!;
      s += t * t;
    }
    keep(j, s);
  }
}

/**
 * k-means++ seeding over the pixels listed in `sample` (embedding rows of `data`): the first
 * seed is uniform, each next one drawn with probability proportional to its squared distance
 * to the nearest seed so far. Returns k * dim float64 centroids.
 */
export function seedKMeansPlusPlus(
  data: Float32Array,
  dim: number,
  sample: Uint32Array,
  k: number,
  rng: Rng,
): Float64Array {
  const m = sample.length;
  const centroids = new Float64Array(k * dim);
  const d2 = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  // The sampled rows side by side: k passes over them then stay in cache.
  const rows = new Float32Array(m * dim);
  for (let j = 0; j < m; j++) rows.set(data.subarray(sample[j]! * dim, (sample[j]! + 1) * dim), j * dim);
  let pick = sample[randomInt(rng, m)]!;
  for (let c = 0; c < k; c++) {
    const o = c * dim;
    for (let d = 0; d < dim; d++) centroids[o + d] = data[pick * dim + d]!;
    if (c === k - 1) break;
    nearestSeedDistances(rows, dim, centroids.subarray(o, o + dim), d2);
    let total = 0;
    for (let j = 0; j < m; j++) total += d2[j]!;
    // All sample points coincide with a seed: any point is as good as another.
    if (!(total > 0)) {
      pick = sample[randomInt(rng, m)]!;
      continue;
    }
    let r = rng() * total;
    let chosen = -1;
    for (let j = 0; j < m; j++) {
      const w = d2[j]!;
      if (w <= 0) continue;
      chosen = j; // last positive-weight point guards against r surviving rounding
      r -= w;
      if (r < 0) break;
    }
    pick = sample[chosen]!;
  }
  return centroids;
}
