import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MosaiksFilters, sampleMosaiksFilters } from '../../src/lib/encoder/mosaiks-filters.ts';
import { type MosaiksInput, mosaiksInput } from '../../src/lib/encoder/mosaiks-input.ts';
import {
  type MosaiksParams,
  mosaiksDim,
  resolveMosaiksParams,
} from '../../src/lib/encoder/mosaiks-params.ts';
import { mosaiksReferenceEncoder } from '../../src/lib/encoder/mosaiks-reference.ts';
import { MosaiksSession } from '../../src/lib/encoder/mosaiks-session.ts';
import {
  encodeSceneByPatches,
  type PatchEncodeResult,
  type PatchEncoder,
  type PatchProgress,
  patchGridSpec,
} from '../../src/lib/encoder/mosaiks-tiles.ts';
import { isAborted } from '../../src/lib/errors.ts';
import { pixelToCrs } from '../../src/lib/geo/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { dolomitesWindow, missingDolomites, withCloud } from './mosaiks-fixtures.ts';

const skip = missingDolomites();

interface Encoding {
  input: MosaiksInput;
  filters: MosaiksFilters;
  params: MosaiksParams;
}

function prepare(scene: Scene, params: MosaiksParams): Encoding {
  const input = mosaiksInput(scene);
  return { input, filters: sampleMosaiksFilters(input, params), params };
}

function run(
  scene: Scene,
  encoder: PatchEncoder,
  e: Encoding,
  extra: {
    tilePatches?: number;
    signal?: AbortSignal;
    onProgress?: (p: PatchProgress) => void;
    onStart?: (r: PatchEncodeResult) => void;
  } = {},
): Promise<PatchEncodeResult> {
  return encodeSceneByPatches(scene, encoder, {
    input: e.input,
    geometry: e.params,
    dim: mosaiksDim(e.params),
    minValidFraction: e.params.minValidFraction,
    ...extra,
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('patch grid georeference', () => {
  it('puts the centre of patch (r, c) on the centre of its S x S pixel block', () => {
    const grid = {
      width: 101,
      height: 90,
      epsg: 32632,
      transform: { originX: 743150, originY: 5166160, resX: 10, resY: 10 },
    };
    for (const stride of [1, 3, 4, 8]) {
      const patches = patchGridSpec(grid, stride);
      expect([patches.width, patches.height]).toEqual([Math.ceil(101 / stride), Math.ceil(90 / stride)]);
      expect(patches.epsg).toBe(32632);
      for (const [r, c] of [
        [0, 0],
        [5, 7],
        [patches.height - 1, patches.width - 1],
      ] as const) {
        const centre = pixelToCrs(patches.transform, c + 0.5, r + 0.5);
        expect(centre).toEqual(pixelToCrs(grid.transform, c * stride + stride / 2, r * stride + stride / 2));
      }
    }
    expect(patchGridSpec(grid, 4).transform).toEqual({
      originX: 743150,
      originY: 5166160,
      resX: 40,
      resY: 40,
    });
  });
});

describe.skipIf(skip !== '')('encodeSceneByPatches on real Dolomites pixels (onnxruntime-node)', () => {
  let scene: Scene;
  const sessions: MosaiksSession[] = [];
  async function session(e: Encoding): Promise<MosaiksSession> {
    const s = await MosaiksSession.create(ort, e.filters, e.params);
    sessions.push(s);
    return s;
  }
  beforeAll(async () => {
    scene = await dolomitesWindow(400, 360, 90, 101);
  });
  afterAll(async () => {
    for (const s of sessions) await s.release();
  });

  it('a bright pixel changes only the patch whose block holds it (the grid is where it says)', async () => {
    const e = prepare(scene, resolveMosaiksParams());
    const bright = { ...scene, reflectance: scene.reflectance.map((band) => band.slice()) };
    // Pixel (21, 30): inside block (5, 7) with its 3 x 3 neighbourhood (rows 20-22, cols 29-31).
    for (const band of bright.reflectance) band[21 * 101 + 30] = 0.95;
    const s = await session(e);
    const base = await run(scene, s, e);
    // Same statistics and filters, so only the responses around the pixel can change.
    const changed = await run(bright, s, { ...e, input: { ...e.input, columns: bright.reflectance } });
    const { width, dim } = base.embeddings;
    const moved: number[][] = [];
    for (let p = 0; p < base.embeddings.valid.length; p++) {
      const a = base.embeddings.data.subarray(p * dim, (p + 1) * dim);
      const b = changed.embeddings.data.subarray(p * dim, (p + 1) * dim);
      if (maxAbsDiff(a, b) > 1e-6) moved.push([Math.floor(p / width), p % width]);
    }
    expect(moved).toEqual([[5, 7]]);
    expect(base.grid).toEqual(patchGridSpec(scene.grid, 4));
    expect(base.embeddings.georef).toEqual({ epsg: 32632, transform: base.grid.transform });
    // In the source file's pixels: the block starts at row 400 + 20, col 360 + 28.
    expect(pixelToCrs(base.grid.transform, 7, 5)).toEqual([
      740350 + (360 + 28) * 10,
      5168160 - (400 + 20) * 10,
    ]);
  });

  for (const request of [{}, { filters: 24, kernel: 5, pool: 6, stride: 2, seed: 4 }]) {
    it(`tiles join without seams: ${JSON.stringify(request)}`, async () => {
      const e = prepare(scene, resolveMosaiksParams(request));
      const s = await session(e);
      const whole = await run(scene, s, e, { tilePatches: 1000 });
      const tiled = await run(scene, s, e, { tilePatches: 7 });
      expect(tiled.embeddings.valid).toEqual(whole.embeddings.valid);
      expect(maxAbsDiff(tiled.embeddings.data, whole.embeddings.data)).toBeLessThan(1e-5);
    });
  }

  it('matches the plain-TS reference through the same tiling, and every vector has unit length', async () => {
    const e = prepare(scene, resolveMosaiksParams({ filters: 16, seed: 8 }));
    const onnx = await run(scene, await session(e), e, { tilePatches: 9 });
    const reference = await run(scene, mosaiksReferenceEncoder(e.filters, e.params), e, { tilePatches: 9 });
    expect(maxAbsDiff(onnx.embeddings.data, reference.embeddings.data)).toBeLessThan(1e-5);
    const { data, valid, dim } = onnx.embeddings;
    for (let p = 0; p < valid.length; p++) {
      if (!valid[p]) continue;
      const norm = Math.hypot(...data.subarray(p * dim, (p + 1) * dim));
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('flags patches with too few valid pixels, and cloud values never reach the embeddings', async () => {
    const params = resolveMosaiksParams();
    const bright = withCloud(scene, 20, 45, 30, 63, 0.9);
    const dark = withCloud(scene, 20, 45, 30, 63, 0.02);
    const e = prepare(bright, params);
    const s = await session(e);
    const a = await run(bright, s, e);
    const b = await run(dark, s, { ...e, input: { ...e.input, columns: dark.reflectance } });
    expect(maxAbsDiff(a.embeddings.data, b.embeddings.data)).toBe(0);
    const { width, height } = a.grid;
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        // Valid pixels of the 4 x 4 block: inside the scene (101 x 90) and outside the cloud.
        let count = 0;
        for (let y = 4 * r; y < 4 * r + 4; y++) {
          for (let x = 4 * c; x < 4 * c + 4; x++) {
            const inScene = y < 90 && x < 101;
            const cloud = y >= 20 && y < 45 && x >= 30 && x < 63;
            if (inScene && !cloud) count++;
          }
        }
        expect(a.embeddings.valid[r * width + c], `patch (${r}, ${c})`).toBe(count >= 8 ? 1 : 0);
      }
    }
    // Strict: every pooled pixel must be valid.
    const strict = await encodeSceneByPatches(bright, s, {
      input: e.input,
      geometry: params,
      dim: 128,
      minValidFraction: 1,
    });
    // Patch (5, 6) touches no cloud; patch (11, 15) has 3 cloudy pixels of 16 (row 44, cols 60-62).
    expect(strict.embeddings.valid[5 * width + 6]).toBe(1);
    expect(a.embeddings.valid[11 * width + 15]).toBe(1);
    expect(strict.embeddings.valid[11 * width + 15]).toBe(0);
  });

  it('reports progress per tile, skips tiles without a valid patch, and stops when cancelled', async () => {
    const e = prepare(withCloud(scene, 0, 48, 0, 101), resolveMosaiksParams());
    const cloudy = withCloud(scene, 0, 48, 0, 101);
    const s = await session(e);
    let calls = 0;
    const counting: PatchEncoder = {
      encodeTile: (...args) => {
        calls++;
        return s.encodeTile(...args);
      },
    };
    const progress: PatchProgress[] = [];
    let live: PatchEncodeResult | undefined;
    const validSoFar: number[] = [];
    const result = await run(cloudy, counting, e, {
      tilePatches: 6,
      onStart: (r) => {
        live = r;
      },
      onProgress: (p) => {
        progress.push(p);
        validSoFar.push(live?.embeddings.valid.reduce((n, v) => n + v, 0) ?? -1);
      },
    });
    // The grid fills as tiles finish: after patch rows 12-17 (tiles 11-15), 6 x 25 valid patches
    // (the 26th column holds 1 scene pixel of 4, too few).
    expect(live?.embeddings).toBe(result.embeddings);
    expect(validSoFar.slice(0, 11)).toEqual(Array(11).fill(0));
    expect(validSoFar[15]).toBe(6 * 25);
    expect(validSoFar.at(-1)).toBe(result.embeddings.valid.reduce((n, v) => n + v, 0));
    // 26 x 23 patches in tiles of 6: 5 x 4 = 20 tiles; the top two tile rows (patch rows 0-11)
    // are all cloud, so 10 tiles remain.
    expect(calls).toBe(10);
    expect(progress[0]).toMatchObject({ patchesDone: 0, patchesTotal: 26 * 23 });
    expect(progress.at(-1)?.patchesDone).toBe(26 * 23);
    expect(progress).toHaveLength(21);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.patchesDone).toBeGreaterThan(progress[i - 1]!.patchesDone);

    const controller = new AbortController();
    calls = 0;
    const stopped = run(cloudy, counting, e, {
      tilePatches: 6,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.patchesDone >= 26 * 12 + 2 * 36) controller.abort();
      },
    });
    const error = await stopped.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isAborted(error)).toBe(true);
    expect(String(error)).toMatch(/Computing embeddings was cancelled/);
    expect(calls).toBe(2);
  });

  it('refuses bad options and a misbehaving encoder with clear messages', async () => {
    const e = prepare(scene, resolveMosaiksParams());
    const base = { input: e.input, geometry: e.params, dim: 128, minValidFraction: 0.5 };
    const s = await session(e);
    await expect(encodeSceneByPatches(scene, s, { ...base, dim: 1 })).rejects.toThrow(
      /dimension must be a whole number >= 2/,
    );
    await expect(encodeSceneByPatches(scene, s, { ...base, minValidFraction: 0 })).rejects.toThrow(
      /minimum valid fraction \(min_valid_fraction\) must be above 0 and at most 1; got 0/,
    );
    await expect(encodeSceneByPatches(scene, s, { ...base, tilePatches: 0.5 })).rejects.toThrow(
      /tilePatches/,
    );
    const other = await dolomitesWindow(0, 0, 20, 20);
    await expect(encodeSceneByPatches(other, s, base)).rejects.toThrow(/different scene grid/);
    await expect(encodeSceneByPatches(scene, s, { ...base, dim: 64 })).rejects.toThrow(
      /returned 23 x 26 patches of 76544 values for a tile of 23 x 26 patches of dimension 64/,
    );
  });
});
