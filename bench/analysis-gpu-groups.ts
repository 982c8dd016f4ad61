import { runAnalysisGpuInChromium } from './analysis-gpu-web.ts';
import type { Group, Results } from './group.ts';
import { log, median } from './report.ts';

const SIM = 'similarity_webgpu_swiftshader_x64';
const KMEANS = 'kmeans_webgpu_swiftshader_x64';
const EMULATED =
  'EMULATED: this machine has no GPU; Chromium WebGPU runs on SwiftShader (the CPU), so the figure ' +
  'checks that the WebGPU path runs and says nothing about GPU speed. Record real figures on a GPU machine.';

/** The WebGPU analysis paths in a Chromium dedicated worker, against the CPU paths in the same worker. */
export const ANALYSIS_GPU_GROUP: Group = {
  names: [SIM, KMEANS],
  async run(selected, s): Promise<Results> {
    const side = s.quick ? 128 : 256;
    const iterations = 10;
    const reply = await runAnalysisGpuInChromium({
      width: side,
      height: side,
      dim: 64,
      k: 10,
      iterations,
      runs: 5,
      maxBindingBytes: 0,
    });
    if (!reply.ok) throw new Error(reply.error);
    log(`  adapter ${reply.adapter}; similarity max diff ${reply.similarityMaxDiff}`);
    const pixels = side * side;
    const results: Results = new Map();
    const gpuSim = median(reply.similarityGpuMs);
    const cpuSim = median(reply.similarityCpuMs);
    const extra = { adapter: reply.adapter, fallback_adapter: reply.fallbackAdapter, pixels };
    if (selected.includes(SIM)) {
      results.set(SIM, {
        unit: 'ms',
        value: gpuSim,
        baseline: { name: 'cosineSimilarity (CPU, same worker)', value: cpuSim, unit: 'ms' },
        ratio: gpuSim / cpuSim,
        ratio_meaning: 'value / baseline (WebGPU time over CPU time; lower is better)',
        runs: reply.similarityGpuMs.length,
        notes: `${pixels} pixels x 64, few-shot query, scores read back to the CPU. ${EMULATED}`,
        extra: { ...extra, max_abs_diff: reply.similarityMaxDiff },
      });
    }
    if (selected.includes(KMEANS)) {
      results.set(KMEANS, {
        unit: 'ms',
        value: reply.kmeansGpuMs,
        baseline: {
          name: 'kmeans (CPU, WebAssembly SIMD, same worker)',
          value: reply.kmeansCpuMs,
          unit: 'ms',
        },
        ratio: reply.kmeansGpuMs / reply.kmeansCpuMs,
        ratio_meaning: 'value / baseline (WebGPU time over CPU time; lower is better)',
        runs: 1,
        notes: `${pixels} pixels x 64, k=10, ${iterations} Lloyd iterations, tolerance 0, same seed. ${EMULATED}`,
        extra: {
          ...extra,
          label_diff_fraction: reply.kmeansLabelDiffFraction,
          inertia_rel_diff: reply.kmeansInertiaRel,
        },
      });
    }
    return results;
  },
};
