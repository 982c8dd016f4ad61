/**
 * Seeded random numbers and the symmetric eigen-decomposition.
 *
 * The public surface of src/lib/math/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { symmetricEigen } from './eigen.ts';
export { mulberry32, type Rng, randomInt, randomNormal, sampleWithoutReplacement } from './random.ts';
