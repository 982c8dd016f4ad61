/**
 * The k-means steps on the CPU (settings, seeding, the Lloyd loop, reseeding an
 * empty cluster) and their types: a second entry of src/lib/analysis/ besides index.ts, because
 * the WebGPU k-means (gpu/kmeans-gpu.ts) reuses them while analysis/index.ts exports the engine,
 * which picks the GPU backend; gpu/ importing index.ts would close a file circle
 * (analysis/index → engine → gpu → analysis/index). Nothing here imports gpu/.
 */
export {
  initialCentroids,
  type KMeansOptions,
  type KMeansResult,
  kmeansSettings,
  LloydLoop,
  validMembers,
} from './kmeans.ts';
export { reseedEmpty } from './kmeans-reseed.ts';
export { NO_LABEL } from './limits.ts';
