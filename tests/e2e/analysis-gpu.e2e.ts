import { describe, expect, it } from 'vitest';
import { runAnalysisGpuInChromium } from '../../bench/analysis-gpu-web.ts';

describe('analysis on WebGPU in a Chromium dedicated worker (SwiftShader)', () => {
  it('similarity and k-means agree with the CPU paths on a chunked, masked grid', async () => {
    // 101 x 37 = 3737 pixels (not a multiple of 64), every 13th masked, 6 binding chunks.
    const reply = await runAnalysisGpuInChromium({
      width: 101,
      height: 37,
      dim: 128,
      k: 6,
      iterations: 6,
      runs: 1,
      maxBindingBytes: 640 * 128 * 4,
    });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.chunks).toBeGreaterThan(1);
    expect(reply.similarityMaxDiff).toBeLessThan(1e-5);
    expect(reply.similarityNanMismatch).toBe(0);
    // Random unit vectors are full of near-ties: a few labels may differ, the inertia may not.
    expect(reply.kmeansLabelDiffFraction).toBeLessThan(0.05);
    expect(reply.kmeansInertiaRel).toBeLessThan(1e-3);
  });
});
