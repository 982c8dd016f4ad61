import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuChildEnv, SWIFTSHADER_ICD } from './node-gpu.ts';

const env = gpuChildEnv();

/** Runs gpu-checks.ts in a child Node with Dawn on SwiftShader; its JSON report. */
function runChecks(): Record<string, number | string> {
  const script = join(import.meta.dirname, 'gpu-checks.ts');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], {
    env,
    encoding: 'utf8',
    timeout: 240_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
}

describe.skipIf(!env)(`GPU analysis paths on Dawn + SwiftShader (needs ${SWIFTSHADER_ICD})`, () => {
  it('match their CPU twins: dims 64 and 128, masked pixels, N not a multiple of 64, chunked grids', {
    timeout: 240_000,
  }, () => {
    const r = runChecks();
    expect(r.skipped, 'no WebGPU adapter').toBeUndefined();
    for (const dim of [64, 128]) {
      // The chunk cap really split the grid; the whole-grid run used one binding.
      expect(r[`chunks_whole_${dim}`]).toBe(1);
      expect(r[`chunks_chunked_${dim}`]).toBeGreaterThan(1);
      for (const layout of ['whole', 'chunked']) {
        for (const op of ['similarity', 'change', 'project']) {
          expect(r[`${op}_${layout}_${dim}_max`], `${op} ${layout} ${dim}`).toBeLessThan(1e-5);
          expect(r[`${op}_${layout}_${dim}_nan`], `${op} ${layout} ${dim} NaN`).toBe(0);
        }
        // Same seed, same labels on well-separated data; inertia agrees to float32 rounding.
        expect(r[`kmeans_${layout}_${dim}_label_diff`]).toBe(0);
        expect(r[`kmeans_${layout}_${dim}_inertia_rel`]).toBeLessThan(1e-4);
      }
    }
    // Random data is full of near-ties: a few labels may differ, inertia may not.
    expect(r.kmeans_random_label_diff_fraction).toBeLessThan(0.05);
    expect(r.kmeans_random_inertia_rel).toBeLessThan(1e-3);
  });
});
