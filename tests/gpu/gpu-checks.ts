/**
 * Runs every GPU analysis path on Dawn (npm `webgpu`, SwiftShader) next to its CPU twin and
 * prints one JSON object of discrepancies on stdout. Run as a child process by
 * gpu-paths.test.ts, because Dawn finds the Vulkan loader only via LD_LIBRARY_PATH.
 */
import {
  changeMap,
  cosineSimilarity,
  kmeans,
  makeRandomGrid,
  pcaBasis,
  projectPixels,
  queryVector,
} from '../../src/lib/analysis/index.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { probeGpu } from '../../src/lib/gpu/gpu-context.ts';
import { GpuGrid } from '../../src/lib/gpu/gpu-grid.ts';
import { kmeansGpu } from '../../src/lib/gpu/kmeans-gpu.ts';
import { changeGpu, projectGpu, similarityGpu } from '../../src/lib/gpu/pixel-ops-gpu.ts';
import { mulberry32, randomNormal } from '../../src/lib/math/index.ts';
import { nodeGpu } from './node-gpu.ts';

type Report = Record<string, number | string | boolean>;

function maxDiff(a: Float32Array, b: Float32Array): { max: number; nanMismatch: number } {
  let max = 0;
  let nanMismatch = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) nanMismatch++;
    } else max = Math.max(max, Math.abs(x - y));
  }
  return { max, nanMismatch };
}

/** Random grid with every 13th pixel masked (and its vector zeroed on every 26th). */
function masked(width: number, height: number, dim: number, seed: number): EmbeddingGrid {
  const grid = makeRandomGrid(width, height, dim, seed);
  for (let p = 0; p < width * height; p += 13) grid.valid[p] = 0;
  for (let p = 0; p < width * height; p += 26) grid.data.fill(0, p * dim, p * dim + dim);
  return grid;
}

/** k well-separated Gaussian blobs (centres 3 apart, sd 0.1) in `dim` dimensions. */
function blobs(pixels: number, dim: number, k: number, seed: number): EmbeddingGrid {
  const rng = mulberry32(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => 3 * randomNormal(rng)));
  const data = new Float32Array(pixels * dim);
  const valid = new Uint8Array(pixels).fill(1);
  for (let p = 0; p < pixels; p++) {
    const c = centres[p % k]!;
    for (let d = 0; d < dim; d++) data[p * dim + d] = c[d]! + 0.1 * randomNormal(rng);
    if (p % 17 === 3) valid[p] = 0;
  }
  return createEmbeddingGrid(pixels, 1, dim, data, valid);
}

async function main(): Promise<void> {
  const probe = await probeGpu(await nodeGpu());
  const context = probe.context;
  if (!context) {
    process.stdout.write(`${JSON.stringify({ skipped: probe.detail })}\n`);
    return;
  }
  const report: Report = { adapter: probe.detail };
  for (const dim of [64, 128]) {
    // 101 x 37 = 3737 pixels: not a multiple of 64; the small binding cap forces 6+ chunks.
    const grid = masked(101, 37, dim, dim);
    const small = 640 * dim * 4;
    for (const [name, cap] of [
      ['whole', context.maxBindingBytes],
      ['chunked', small],
    ] as const) {
      const gg = new GpuGrid(context, grid, cap);
      report[`chunks_${name}_${dim}`] = gg.chunks.length;
      const query = queryVector(grid, { positives: [5, 900, 2000], negatives: [14, 3000] });
      const sim = maxDiff(cosineSimilarity(grid, query), await similarityGpu(gg, query));
      report[`similarity_${name}_${dim}_max`] = sim.max;
      report[`similarity_${name}_${dim}_nan`] = sim.nanMismatch;

      const other = masked(101, 37, dim, dim + 1);
      const go = new GpuGrid(context, other, cap);
      const change = maxDiff(changeMap(grid, other), await changeGpu(gg, go));
      report[`change_${name}_${dim}_max`] = change.max;
      report[`change_${name}_${dim}_nan`] = change.nanMismatch;
      go.dispose();

      const basis = pcaBasis(grid);
      const proj = maxDiff(projectPixels(grid, basis), await projectGpu(gg, basis.mean, basis.components));
      report[`project_${name}_${dim}_max`] = proj.max;
      report[`project_${name}_${dim}_nan`] = proj.nanMismatch;
      gg.dispose();
    }
  }

  // k-means: the same seed must give the same labels; blobs have no near-ties.
  for (const dim of [64, 128]) {
    const grid = blobs(3001, dim, 6, dim);
    const options = { k: 6, seed: 7, maxIterations: 20, tolerance: 0 };
    const cpu = kmeans(grid, options);
    for (const [name, cap] of [
      ['whole', context.maxBindingBytes],
      ['chunked', 256 * dim * 4],
    ] as const) {
      const gg = new GpuGrid(context, grid, cap);
      const gpu = await kmeansGpu(gg, options);
      let labelDiff = 0;
      for (let p = 0; p < cpu.labels.length; p++) if (cpu.labels[p] !== gpu.labels[p]) labelDiff++;
      report[`kmeans_${name}_${dim}_label_diff`] = labelDiff;
      report[`kmeans_${name}_${dim}_inertia_rel`] = Math.abs(cpu.inertia - gpu.inertia) / cpu.inertia;
      report[`kmeans_${name}_${dim}_iterations`] = `${cpu.iterations}/${gpu.iterations}`;
      gg.dispose();
    }
  }
  // Random (tie-prone) data: labels may differ at near-ties only, inertia must agree.
  const random = masked(97, 41, 64, 3);
  const options = { k: 8, seed: 3, maxIterations: 10, tolerance: 0 };
  const cpu = kmeans(random, options);
  const gg = new GpuGrid(context, random, 512 * 64 * 4);
  const gpu = await kmeansGpu(gg, options);
  gg.dispose();
  let labelDiff = 0;
  for (let p = 0; p < cpu.labels.length; p++) if (cpu.labels[p] !== gpu.labels[p]) labelDiff++;
  report.kmeans_random_label_diff_fraction = labelDiff / cpu.labels.length;
  report.kmeans_random_inertia_rel = Math.abs(cpu.inertia - gpu.inertia) / cpu.inertia;
  context.device.destroy();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
