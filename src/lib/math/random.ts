import { AppError } from '../errors.ts';

/** A seeded source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, plenty for sampling and k-means++ seeding, and identical on
 * every JS engine, so the same seed gives the same clustering in any browser.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Standard normal deviate (Box-Muller; the second deviate is dropped for simplicity). */
export function randomNormal(rng: Rng): number {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * `count` distinct entries of `items`, in random order (partial Fisher-Yates on a copy), so
 * the caller's array is untouched.
 */
export function sampleWithoutReplacement(items: Uint32Array, count: number, rng: Rng): Uint32Array {
  if (count > items.length) {
    throw new AppError('bad-input', `Cannot sample ${count} of ${items.length} items.`);
  }
  const pool = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(rng, pool.length - i);
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.subarray(0, count);
}
