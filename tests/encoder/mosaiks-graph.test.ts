import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrtModule } from '../../src/lib/encoder/encoder-session.ts';
import { type MosaiksFilters, sampleMosaiksFilters } from '../../src/lib/encoder/mosaiks-filters.ts';
import { buildMosaiksGraph } from '../../src/lib/encoder/mosaiks-graph.ts';
import {
  type MosaiksInput,
  mosaiksInput,
  readNormalisedWindow,
} from '../../src/lib/encoder/mosaiks-input.ts';
import { type MosaiksParams, resolveMosaiksParams } from '../../src/lib/encoder/mosaiks-params.ts';
import { mosaiksReferenceTile } from '../../src/lib/encoder/mosaiks-reference.ts';
import { MosaiksSession } from '../../src/lib/encoder/mosaiks-session.ts';
import { dolomitesWindow, missingDolomites } from './mosaiks-fixtures.ts';

/** Filters given by hand: K x B x k x k weights and one bias for all. */
function handFilters(
  weights: number[],
  count: number,
  bands: number,
  kernel: number,
  bias: number,
): MosaiksFilters {
  return {
    weights: Float32Array.from(weights),
    bias: new Float32Array(count).fill(bias),
    count,
    bands: Array.from({ length: bands }, (_, b) => `band${b}`),
    kernel,
    origins: new Uint32Array(count),
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('MOSAIKS graph (onnxruntime-node)', () => {
  it('computes ReLU(+/-r - bias) averaged over the pooling window, checked by hand', async () => {
    // One band, one 1 x 1 filter of weight 2, bias 1, pool 2, stride 2: r = 2x.
    const image = Float32Array.from([0, 1, -1, -2, 2, 3, -3, 0, 0.25, 0.5, 1, 1, -0.25, -0.5, -1, -1]);
    const session = await MosaiksSession.create(ort, handFilters([2], 1, 1, 1, 1), { pool: 2, stride: 2 });
    try {
      const tile = await session.encodeTile(image, 1, 4, 4);
      expect([tile.rows, tile.cols]).toEqual([2, 2]);
      // Top-left block x = 0, 1, 2, 3 -> r = 0, 2, 4, 6 -> ReLU(r - 1) = 0, 1, 3, 5 -> mean 2.25.
      // Top-right block x = -1, -2, -3, 0 -> ReLU(-r - 1) = 1, 3, 5, 0 -> mean 2.25.
      // Bottom-left x = .25, .5, -.25, -.5 -> |r| <= 1 everywhere -> 0 for both signs.
      // Bottom-right x = 1, 1, -1, -1 -> r = +/-2 -> ReLU = 1 twice per sign -> 0.5 each.
      expect(Array.from(tile.data)).toEqual([2.25, 0, 0, 0.5, 0, 2.25, 0, 0.5]);
    } finally {
      await session.release();
    }
  });

  it('convolves without padding (valid) and keeps the positive branch first', async () => {
    // 3 x 3 image 1..9, one 3 x 3 all-ones filter: r = 45; bias 1 -> [44, 0].
    const image = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const session = await MosaiksSession.create(ort, handFilters(Array(9).fill(1), 1, 1, 3, 1), {
      pool: 1,
      stride: 1,
    });
    try {
      const tile = await session.encodeTile(image, 1, 3, 3);
      expect([tile.rows, tile.cols, ...tile.data]).toEqual([1, 1, 44, 0]);
    } finally {
      await session.release();
    }
  });

  it('one graph serves any tile size, band count and filter count (H, W, B, K symbolic)', async () => {
    const graph = buildMosaiksGraph({ pool: 2, stride: 2 });
    const session = await ort.InferenceSession.create(graph.bytes);
    try {
      for (const [K, B, k, H, W] of [
        [3, 2, 3, 9, 11],
        [5, 4, 1, 6, 4],
      ] as const) {
        const feeds = {
          [graph.imageName]: new ort.Tensor('float32', new Float32Array(B * H * W).fill(1), [1, B, H, W]),
          [graph.filtersName]: new ort.Tensor('float32', new Float32Array(K * B * k * k).fill(0.5), [
            K,
            B,
            k,
            k,
          ]),
          [graph.biasName]: new ort.Tensor('float32', new Float32Array(K), [K]),
        };
        const out = (await session.run(feeds))[graph.outputName];
        expect(out?.dims).toEqual([
          1,
          2 * K,
          Math.floor((H - k + 1 - 2) / 2) + 1,
          Math.floor((W - k + 1 - 2) / 2) + 1,
        ]);
      }
    } finally {
      await session.release();
    }
  });

  it('refuses a tile of the wrong shape, naming what is wrong', async () => {
    const session = await MosaiksSession.create(ort, handFilters(Array(9).fill(1), 1, 1, 3, 1), {
      pool: 4,
      stride: 4,
    });
    try {
      await expect(session.encodeTile(new Float32Array(36), 1, 6, 6)).resolves.toMatchObject({
        rows: 1,
        cols: 1,
      });
      await expect(session.encodeTile(new Float32Array(25), 1, 5, 5)).rejects.toThrow(
        /at least 6 x 6 pixels/,
      );
      await expect(session.encodeTile(new Float32Array(72), 2, 6, 6)).rejects.toThrow(
        /has 2 bands; the MOSAIKS filters have 1/,
      );
      await expect(session.encodeTile(new Float32Array(35), 1, 6, 6)).rejects.toThrow(
        /Expected 36 tile values/,
      );
      expect(() => buildMosaiksGraph({ pool: 0, stride: 4 })).toThrow(/pooling window \(pool\)/);
    } finally {
      await session.release();
    }
    await expect(session.encodeTile(new Float32Array(36), 1, 6, 6)).rejects.toThrow(/released/);
  });
});

const skip = missingDolomites();

describe.skipIf(skip !== '')('MOSAIKS graph against the plain-TS reference on real Dolomites pixels', () => {
  let input: MosaiksInput;
  beforeAll(async () => {
    // Lake, forest, town and rock near Cortina: 96 x 96 pixels, 4 bands.
    input = mosaiksInput(await dolomitesWindow(420, 380, 96, 96));
  });

  async function compare(
    params: MosaiksParams,
    runtime: OrtModule = ort,
  ): Promise<{ diff: number; largest: number }> {
    const filters = sampleMosaiksFilters(input, params);
    const image = readNormalisedWindow(input, 0, 0, 96, 96);
    const session = await MosaiksSession.create(runtime, filters, params);
    try {
      const onnx = await session.encodeTile(image, 4, 96, 96);
      const reference = mosaiksReferenceTile(image, 4, 96, 96, filters, params);
      expect([onnx.rows, onnx.cols]).toEqual([reference.rows, reference.cols]);
      const largest = reference.data.reduce((m, v) => Math.max(m, v), 0);
      return { diff: maxAbsDiff(onnx.data, reference.data), largest };
    } finally {
      await session.release();
    }
  }

  it('default parameters (K = 64, k = 3, pool = stride = 4, whitened): max |diff| < 1e-4', async () => {
    const { diff, largest } = await compare(resolveMosaiksParams());
    expect(largest).toBeGreaterThan(0.5); // real, non-trivial responses
    expect(diff).toBeLessThan(1e-4);
  });

  it('k = 5, overlapping pools (pool 6, stride 2), raw patches as filters: max |diff| < 1e-4', async () => {
    const { diff, largest } = await compare(
      resolveMosaiksParams({ filters: 16, kernel: 5, pool: 6, stride: 2, whiten: false, seed: 3 }),
    );
    expect(largest).toBeGreaterThan(0.5);
    expect(diff).toBeLessThan(1e-4);
  });

  it('onnxruntime-web (wasm, as in the encoder worker) gives the same features: max |diff| < 1e-4', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const { diff } = await compare(resolveMosaiksParams({ filters: 32, seed: 11 }), ortWeb);
    expect(diff).toBeLessThan(1e-4);
  });
});
