import { describe, expect, it } from 'vitest';
import { encodeScene, type PixelEncoder } from '../../src/lib/encoder/encode-scene.ts';
import { prestoBatchInputs } from '../../src/lib/encoder/presto-batch.ts';
import { PRESTO_CHANNELS } from '../../src/lib/encoder/presto-spec.ts';
import { EmbeddingPreview } from '../../src/lib/render/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';

const GRID = {
  width: 3,
  height: 1,
  epsg: 32632,
  transform: { originX: 300_000, originY: 5_160_000, resX: 10, resY: -10 },
};

function scene(red: number[], nir: number[], valid: number[], datetime: string): Scene {
  return {
    id: datetime,
    title: datetime,
    datetime,
    source: 'pack',
    grid: GRID,
    bands: ['red', 'nir'],
    reflectance: [new Float32Array(red), new Float32Array(nir)],
    valid: new Uint8Array(valid),
    validFraction: valid.filter(Boolean).length / valid.length,
    maskDescription: 'test',
  };
}

/** Records what the encoder receives and returns each pixel's first value as its embedding. */
class Recorder implements PixelEncoder {
  batches: { pixels: number[]; indices: number[] }[] = [];
  async encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array> {
    this.batches.push({ pixels: [...pixels], indices: [...indices] });
    const per = pixels.length / count;
    return Float32Array.from({ length: count * 2 }, (_, i) => pixels[Math.floor(i / 2) * per] ?? 0);
  }
}

describe('yearly mode: time steps through encodeScene and Presto inputs', () => {
  const january = scene([0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [1, 0, 0], '2022-01-10T10:00:00Z');
  const june = scene([0.11, 0.21, 0.31], [0.41, 0.51, 0.61], [1, 1, 0], '2022-06-10T10:00:00Z');

  it('sends each pixel step by step, NaN where a step did not see it, and skips pixels no step saw', async () => {
    const target = { ...january, valid: new Uint8Array([1, 1, 0]) };
    const recorder = new Recorder();
    const batches: number[][] = [];
    const grid = await encodeScene(target, recorder, {
      dim: 2,
      bands: ['red', 'nir'],
      steps: [january, june],
      onBatch: (_, indices) => batches.push([...indices]),
    });
    expect(recorder.batches).toHaveLength(1);
    const { pixels, indices } = recorder.batches[0]!;
    expect(indices).toEqual([0, 1]);
    expect(pixels.map((v) => (Number.isNaN(v) ? 'NaN' : v.toFixed(2)))).toEqual([
      '0.10',
      '0.40',
      '0.11',
      '0.41',
      'NaN',
      'NaN',
      '0.21',
      '0.51',
    ]);
    expect(batches).toEqual([[0, 1]]);
    expect([...grid.valid]).toEqual([1, 1, 0]);
  });

  it('builds Presto inputs with one month per step and masks what a step did not see', () => {
    const pixels = new Float32Array([0.1, 0.4, 0.11, 0.41, Number.NaN, Number.NaN, 0.21, 0.51]);
    const inputs = prestoBatchInputs(pixels, 2, new Uint32Array([0, 1]), ['red', 'nir'], GRID, [0, 5]);
    expect(inputs.timesteps).toBe(2);
    expect([...inputs.month]).toEqual([0n, 5n, 0n, 5n]);
    const C = PRESTO_CHANNELS.length;
    const B4 = PRESTO_CHANNELS.indexOf('B4');
    const NDVI = PRESTO_CHANNELS.indexOf('NDVI');
    // Pixel 1, step 0: not seen, so red and NDVI are masked; step 1: observed.
    expect(inputs.mask[(1 * 2 + 0) * C + B4]).toBe(1);
    expect(inputs.mask[(1 * 2 + 0) * C + NDVI]).toBe(1);
    expect(inputs.mask[(1 * 2 + 1) * C + B4]).toBe(0);
    expect(inputs.x[(1 * 2 + 1) * C + B4]).toBeCloseTo(2100, 2);
    expect(inputs.x[(0 * 2 + 0) * C + NDVI]).toBeCloseTo((0.4 - 0.1) / 0.5, 5);
    // Pixel centres in WGS84: UTM 32N near 46.6 N 12.4 E.
    expect(inputs.latlons[0]).toBeCloseTo(46.58, 1);
  });

  it('refuses a batch whose values do not match pixels x steps x bands', () => {
    expect(() =>
      prestoBatchInputs(new Float32Array(6), 2, new Uint32Array([0, 1]), ['red', 'nir'], GRID, [0, 5]),
    ).toThrow('Expected 8 values (2 pixels x 2 steps x 2 bands), got 6.');
  });
});

describe('EmbeddingPreview', () => {
  it('colours only the pixels encoded so far, similar embeddings alike', () => {
    const preview = new EmbeddingPreview(3, 1, 2);
    const grid = {
      width: 3,
      height: 1,
      dim: 2,
      data: new Float32Array([1, 0, 0.99, 0.14, -1, 0]),
      valid: new Uint8Array([1, 1, 1]),
    };
    preview.addBatch(grid, new Uint32Array([0, 1]));
    expect(preview.rgba[3]).toBe(255);
    expect(preview.rgba[7]).toBe(255);
    expect(preview.rgba[11]).toBe(0);
    const distance = (a: number, b: number) =>
      Math.hypot(...[0, 1, 2].map((c) => preview.rgba[a * 4 + c]! - preview.rgba[b * 4 + c]!));
    preview.addBatch(grid, new Uint32Array([2]));
    expect(distance(0, 1)).toBeLessThan(distance(0, 2));
  });
});
