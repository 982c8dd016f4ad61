import { describe, expect, it } from 'vitest';
import { chooseAnalysisBackend } from '../../src/lib/analysis/backend.ts';
import { changeMap } from '../../src/lib/analysis/change.ts';
import { AnalysisEngine } from '../../src/lib/analysis/engine.ts';
import { kmeans } from '../../src/lib/analysis/kmeans.ts';
import { makeRandomGrid } from '../../src/lib/analysis/random.ts';
import { cosineSimilarity, pixelVector } from '../../src/lib/analysis/similarity.ts';
import type { GpuContext } from '../../src/lib/gpu/index.ts';

const noGpu = { context: undefined, detail: 'navigator.gpu is absent' };

describe('chooseAnalysisBackend', () => {
  it('uses the CPU without WebGPU, on a software adapter (auto), or when asked', () => {
    expect(chooseAnalysisBackend(noGpu)).toMatchObject({ backend: 'cpu' });
    expect(chooseAnalysisBackend(noGpu).reason).toContain('navigator.gpu is absent');
    // Only the probe's flags are read here; no device is used.
    const software = { context: { fallback: true, detail: 'google swiftshader' } as GpuContext, detail: '' };
    expect(chooseAnalysisBackend(software).backend).toBe('cpu');
    expect(chooseAnalysisBackend(software, 'webgpu').backend).toBe('webgpu');
    const hardware = { context: { fallback: false, detail: 'nvidia' } as GpuContext, detail: '' };
    expect(chooseAnalysisBackend(hardware).backend).toBe('webgpu');
    expect(chooseAnalysisBackend(hardware, 'cpu').backend).toBe('cpu');
  });
});

describe('AnalysisEngine on the CPU', () => {
  it('answers like the plain functions and refuses mismatched second grids', async () => {
    const grid = makeRandomGrid(30, 20, 8, 3);
    const engine = new AnalysisEngine(grid, { probe: noGpu });
    expect(engine.info.backend).toBe('cpu');
    const scores = await engine.similarity({ positives: [5] });
    const direct = cosineSimilarity(grid, pixelVector(grid, 5));
    // The engine's query is the unit-normalised pick: the same scores to float32 rounding.
    expect(Math.max(...scores.map((s, i) => Math.abs(s - direct[i]!)))).toBeLessThan(1e-6);
    const options = { k: 4, seed: 1, maxIterations: 5, tolerance: 0 };
    expect(Array.from((await engine.kmeans(options)).labels)).toEqual(
      Array.from(kmeans(grid, options).labels),
    );
    const { projection } = await engine.pca();
    expect(projection.length).toBe(1800);
    await expect(engine.change()).rejects.toMatchObject({ code: 'bad-input' });
    const other = makeRandomGrid(30, 20, 8, 4);
    engine.setOther(other);
    expect(Array.from(await engine.change())).toEqual(Array.from(changeMap(grid, other)));
    expect(() => engine.setOther(makeRandomGrid(3, 2, 8, 1))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    engine.dispose();
  });
});
