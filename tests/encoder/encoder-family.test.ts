import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BrowserCache } from '../../src/lib/cache/index.ts';
import { EncoderHost } from '../../src/lib/encoder/encoder-host.ts';
import { planEncoding } from '../../src/lib/encoder/encoding-plan.ts';
import { modelIdentity } from '../../src/lib/encoder/model-identity.ts';
import { parseModelManifest } from '../../src/lib/encoder/model-manifest.ts';
import { runnerFor } from '../../src/lib/encoder/model-runner.ts';
import { familyById, familyOf, generatedOptions, registerFamily } from '../../src/lib/encoder/registry.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { runInWorker } from '../../workers/encode-run.ts';
import { MemoryStore } from '../cache/memory-store.ts';
import { LINEAR_WEIGHTS, linearFamily } from './linear-family/index.ts';
import { userModelFixture } from './user-model-fixture.ts';

const W = 7;
const H = 3;
const BANDS = ['blue', 'green', 'red', 'nir'] as const;

function scene(): Scene {
  const n = W * H;
  return {
    id: 'S2B_FAMILY',
    title: 'family test',
    source: 'files',
    datetime: '2024-06-01T10:00:00Z',
    grid: {
      width: W,
      height: H,
      epsg: 32632,
      transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 },
    },
    bands: [...BANDS],
    reflectance: BANDS.map((_, b) => Float32Array.from({ length: n }, (_, i) => 0.02 * (b + 1) + 0.003 * i)),
    valid: Uint8Array.from({ length: n }, (_, i) => (i % 4 === 3 ? 0 : 1)),
    validFraction: 16 / 21,
    maskDescription: 'SCL',
    itemIds: ['S2B_FAMILY'],
  };
}

describe('an encoder family is one folder behind the registry', () => {
  it('a test-only family, registered here, encodes a scene through the app’s generic run, identity and cache', async () => {
    const unregister = registerFamily(linearFamily);
    const host = new EncoderHost({ load: async () => ort, providers: { wasm: 'cpu', webgpu: 'cpu' } });
    try {
      const option = generatedOptions().find((o) => o.family === linearFamily.id);
      expect(option).toBeDefined();
      if (!option) return;
      const s = scene();
      let last = { done: 0, total: 0 };
      const settings = { factor: 1, preference: 'auto' as const };
      // The encoder worker's run, on its host over onnxruntime-node (whose CPU provider is "cpu").
      const request = { option, scene: { kind: 'pixels' as const, scene: s }, ...settings, previewSide: 0 };
      const events = {
        onInfo: () => undefined,
        onPreview: () => undefined,
        onBackendChange: () => undefined,
        onProgress: (p: { done: number; total: number }) => {
          last = p;
        },
      };
      const sceneOf = async () => s;
      const outcome = await runInWorker(request, host, sceneOf, events, new AbortController().signal);
      expect(outcome.info.model).toBe(linearFamily.id);
      expect(last).toMatchObject({ done: 16, total: 16 });
      const { grid } = outcome;
      expect([grid.width, grid.height, grid.dim]).toEqual([W, H, 3]);
      const red = s.reflectance[2]!;
      const nir = s.reflectance[3]!;
      for (let i = 0; i < W * H; i++) {
        expect(grid.valid[i]).toBe(s.valid[i]);
        if (!s.valid[i]) continue;
        const want = [0, 1, 2].map(
          (f) => red[i]! * LINEAR_WEIGHTS[0]![f]! + nir[i]! * LINEAR_WEIGHTS[1]![f]!,
        );
        want.forEach((v, f) => {
          expect(grid.data[i * 3 + f]).toBeCloseTo(v, 6);
        });
      }
      // The cache keys its embeddings by the identity the family states; a second lookup hits.
      const cache = new BrowserCache(async () => new MemoryStore());
      const miss = await cache.findEmbeddings(s, option, settings, (spec) => host.identify(spec));
      expect(miss.model?.id).toBe(linearFamily.id);
      expect(miss.hit).toBeUndefined();
      await cache.saveEmbeddings(miss, grid, outcome.info);
      const hit = await cache.findEmbeddings(s, option, settings, modelIdentity);
      expect(hit.hit?.grid.data).toEqual(grid.data);
      // The plan is the family's: its spec names it, and the generic calls find it by that.
      const plan = planEncoding(option, s, 1, 'auto');
      expect(familyOf(plan.spec)).toBe(linearFamily);
    } finally {
      await host.release();
      unregister();
    }
    expect(() => familyById(linearFamily.id)).toThrow(/no encoder family "test-linear"/);
  });

  it('a family id is registered once', () => {
    const unregister = registerFamily(linearFamily);
    try {
      expect(() => registerFamily(linearFamily)).toThrow(/already registered/);
    } finally {
      unregister();
    }
  });

  it('a manifest names its family; one it names must fit, an unknown one is refused by name', () => {
    const { manifest } = userModelFixture();
    expect(runnerFor(parseModelManifest({ ...manifest, family: 'bands' })).kind).toBe('bands');
    expect(() =>
      runnerFor(parseModelManifest({ ...manifest, family: 'presto' }), 'The manifest m.json'),
    ).toThrow(
      'The manifest m.json is invalid: inputs: a Presto model takes the inputs dynamic_world, latlons, mask, month, x.',
    );
    expect(() =>
      runnerFor(parseModelManifest({ ...manifest, family: 'tessera' }), 'The manifest m.json'),
    ).toThrow(
      /^The manifest m\.json is invalid: family: the app runs manifest models of the families presto, galileo, bands, not "tessera"\.$/,
    );
  });
});
