/**
 * The WebGPU analysis backend: the shared device, grids on the GPU, k-means and the
 * per-pixel operations (similarity, change, PCA projection).
 *
 * The public surface of src/lib/gpu/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { type GpuContext, type GpuProbe, probeGpu, sharedGpu } from './gpu-context.ts';
export { GpuGrid } from './gpu-grid.ts';
export { kmeansGpu } from './kmeans-gpu.ts';
export { changeGpu, projectGpu, similarityGpu } from './pixel-ops-gpu.ts';
