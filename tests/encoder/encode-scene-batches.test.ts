import { describe, expect, it } from 'vitest';
import { encodeScene, type PixelEncoder } from '../../src/lib/encoder/encode-scene.ts';
import type { Scene } from '../../src/lib/scene/index.ts';

const WIDTH = 7;
const HEIGHT = 5;

/** A 7 x 5 scene, every third pixel invalid, red = pixel index, nir = 100 + pixel index. */
function scene(): Scene {
  const n = WIDTH * HEIGHT;
  return {
    id: 'test',
    title: 'test',
    datetime: '2022-06-01T10:00:00Z',
    source: 'pack',
    grid: {
      width: WIDTH,
      height: HEIGHT,
      epsg: 32632,
      transform: { originX: 0, originY: 0, resX: 10, resY: -10 },
    },
    bands: ['red', 'nir'],
    reflectance: [
      Float32Array.from({ length: n }, (_, i) => i),
      Float32Array.from({ length: n }, (_, i) => 100 + i),
    ],
    valid: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0 : 1)),
    validFraction: 2 / 3,
    maskDescription: 'test',
  };
}

/**
 * Embeds each pixel as [red, nir, red + nir] after a macrotask, as a worker answers, and
 * counts calls in flight: the worker's session runs one batch at a time. `stopAfter` aborts
 * the run once that many batches have been answered.
 */
class SlowEncoder implements PixelEncoder {
  inFlight = 0;
  maxInFlight = 0;
  calls = 0;
  constructor(private readonly controller?: { abort: AbortController; stopAfter: number }) {}
  async encode(pixels: Float32Array, count: number): Promise<Float32Array> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.inFlight--;
    if (this.controller && this.calls >= this.controller.stopAfter) this.controller.abort.abort();
    const out = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      out[i * 3] = pixels[i * 2]!;
      out[i * 3 + 1] = pixels[i * 2 + 1]!;
      out[i * 3 + 2] = pixels[i * 2]! + pixels[i * 2 + 1]!;
    }
    return out;
  }
}

describe('encodeScene batches (the next batch gathered while one is encoded)', () => {
  it('places every batch where its pixels are, one call in flight, invalid pixels zero', async () => {
    const encoder = new SlowEncoder();
    const seen: number[] = [];
    const grid = await encodeScene(scene(), encoder, {
      dim: 3,
      bands: ['red', 'nir'],
      batchSize: 4,
      onBatch: (_, indices) => seen.push(...indices),
    });
    const valid = scene().valid;
    const validCount = valid.reduce((a, v) => a + v, 0);
    expect(encoder.calls).toBe(Math.ceil(validCount / 4));
    expect(encoder.maxInFlight).toBe(1);
    expect(seen).toEqual([...valid.keys()].filter((i) => valid[i]));
    for (let p = 0; p < WIDTH * HEIGHT; p++) {
      const want = valid[p] ? [p, 100 + p, 100 + 2 * p] : [0, 0, 0];
      expect([...grid.data.subarray(p * 3, p * 3 + 3)]).toEqual(want);
    }
  });

  it('a cancel between batches stops the run: no batch is sent after it', async () => {
    const abort = new AbortController();
    const encoder = new SlowEncoder({ abort, stopAfter: 2 });
    await expect(
      encodeScene(scene(), encoder, { dim: 3, bands: ['red', 'nir'], batchSize: 4, signal: abort.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(encoder.calls).toBe(2);
  });
});

describe('encodeScene extra columns (the spectral encoder texture)', () => {
  /** Echoes each pixel's whole input row, to see what the encoder was given. */
  const echo = (width: number): PixelEncoder => ({
    encode: async (pixels, count) => pixels.slice(0, count * width),
  });

  it('feeds each pixel its bands, then the extra columns, in order', async () => {
    const n = WIDTH * HEIGHT;
    const extra = [Float32Array.from({ length: n }, (_, i) => -i), new Float32Array(n).fill(7)];
    const grid = await encodeScene(scene(), echo(4), {
      dim: 4,
      bands: ['nir', 'red'],
      extraColumns: extra,
      batchSize: 4,
    });
    for (const p of [0, 4, 34]) {
      if (grid.valid[p] === 0) continue;
      expect(Array.from(grid.data.subarray(p * 4, p * 4 + 4))).toEqual([100 + p, p, -p, 7]);
    }
  });

  it('refuses a column that does not cover the grid', async () => {
    await expect(
      encodeScene(scene(), echo(3), { dim: 3, bands: ['red', 'nir'], extraColumns: [new Float32Array(3)] }),
    ).rejects.toThrow(/does not cover the scene grid/);
  });
});
