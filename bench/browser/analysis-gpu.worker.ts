import { cosineSimilarity, kmeans, makeRandomGrid, queryVector } from '../../src/lib/analysis/index.ts';
import { GpuGrid, kmeansGpu, probeGpu, similarityGpu } from '../../src/lib/gpu/index.ts';
import type { AnalysisGpuReply, AnalysisGpuRequest } from './analysis-gpu-protocol.ts';

/**
 * Runs the WebGPU analysis paths in a dedicated worker (where the app runs them) next to the
 * CPU paths on the same grid, timing both and measuring how far their answers differ.
 */
async function run(req: AnalysisGpuRequest): Promise<AnalysisGpuReply> {
  const probe = await probeGpu();
  const context = probe.context;
  if (!context) return { ok: false, error: `no WebGPU in the worker: ${probe.detail}` };
  const grid = makeRandomGrid(req.width, req.height, req.dim, 21);
  for (let p = 0; p < grid.valid.length; p += 13) grid.valid[p] = 0;
  const gg = new GpuGrid(context, grid, req.maxBindingBytes || undefined);
  try {
    const pixels = req.width * req.height;
    const query = queryVector(grid, { positives: [1, pixels >> 1], negatives: [pixels - 1] });
    const time = async (fn: () => unknown): Promise<number> => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    let gpuScores = await similarityGpu(gg, query); // compiles the pipeline, untimed
    let cpuScores = cosineSimilarity(grid, query);
    const similarityGpuMs: number[] = [];
    const similarityCpuMs: number[] = [];
    for (let r = 0; r < req.runs; r++) {
      similarityGpuMs.push(await time(async () => (gpuScores = await similarityGpu(gg, query))));
      similarityCpuMs.push(await time(() => (cpuScores = cosineSimilarity(grid, query, cpuScores))));
    }
    let maxDiff = 0;
    let nanMismatch = 0;
    for (let i = 0; i < pixels; i++) {
      const a = gpuScores[i]!;
      const b = cpuScores[i]!;
      if (Number.isNaN(a) || Number.isNaN(b)) nanMismatch += Number.isNaN(a) === Number.isNaN(b) ? 0 : 1;
      else maxDiff = Math.max(maxDiff, Math.abs(a - b));
    }
    const options = { k: req.k, seed: 4, maxIterations: req.iterations, tolerance: 0 };
    let gpu = await kmeansGpu(gg, { ...options, maxIterations: 1 }); // pipeline compile, untimed
    const kmeansGpuMs = await time(async () => (gpu = await kmeansGpu(gg, options)));
    let cpu = kmeans(grid, options);
    const kmeansCpuMs = await time(() => (cpu = kmeans(grid, options)));
    let diff = 0;
    for (let p = 0; p < pixels; p++) if (gpu.labels[p] !== cpu.labels[p]) diff++;
    return {
      ok: true,
      adapter: context.detail,
      fallbackAdapter: context.fallback,
      chunks: gg.chunks.length,
      similarityGpuMs,
      similarityCpuMs,
      similarityMaxDiff: maxDiff,
      similarityNanMismatch: nanMismatch,
      kmeansGpuMs,
      kmeansCpuMs,
      kmeansLabelDiffFraction: diff / pixels,
      kmeansInertiaRel: Math.abs(gpu.inertia - cpu.inertia) / cpu.inertia,
    };
  } finally {
    gg.dispose();
    context.device.destroy();
  }
}

self.onmessage = (event: MessageEvent<AnalysisGpuRequest>) => {
  run(event.data).then(
    (reply) => self.postMessage(reply),
    (error: unknown) =>
      self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
};
