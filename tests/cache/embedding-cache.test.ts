import { describe, expect, it } from 'vitest';
import { BrowserCache } from '../../src/lib/cache/browser-cache.ts';
import { decodeEmbeddings, encodeEmbeddings } from '../../src/lib/cache/embedding-codec.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import type { EncoderInfo } from '../../src/lib/encoder/index.ts';
import { modelIdentity, SPECTRAL_OPTION } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { MemoryStore, quotaError } from './memory-store.ts';

const W = 6;
const H = 4;
const BANDS = ['blue', 'green', 'red', 'nir'] as const;

function scene(sclMask: number[] = [0, 3, 8, 9, 10]): Scene {
  const n = W * H;
  return {
    id: 'S2B_TEST',
    title: 'test',
    datetime: '2022-06-27T10:17:12Z',
    source: 'pack',
    grid: {
      width: W,
      height: H,
      epsg: 32632,
      transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 },
    },
    bands: [...BANDS],
    reflectance: BANDS.map((_, b) => Float32Array.from({ length: n }, (_, i) => 0.05 + 0.01 * b + 0.001 * i)),
    valid: Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1)),
    validFraction: 0.8,
    maskDescription: 'SCL',
    itemIds: ['S2B_TEST'],
    sclMask,
  };
}

const spectral = SPECTRAL_OPTION;
const settings = { factor: 1, preference: 'auto' as const };
const info: EncoderInfo = {
  model: 'spectral',
  name: 'Spectral',
  bands: [...BANDS],
  featureNames: ['z_blue', 'z_green', 'z_red', 'z_nir', 'ndvi', 'ndwi'],
  dim: 6,
  backend: 'wasm',
  dtype: 'fp32',
  reason: 'WASM, 1 thread',
};

function grid() {
  const data = Float32Array.from({ length: W * H * 6 }, (_, i) => Math.sin(i) / 3);
  return createEmbeddingGrid(W, H, 6, data, scene().valid.slice());
}

describe('embeddings in the browser cache (BrowserCache over a CacheStore)', () => {
  it('a miss, then the computed grid is stored and comes back bit for bit, with when it was computed', async () => {
    const cache = new BrowserCache(async () => new MemoryStore());
    const s = scene();
    const miss = await cache.findEmbeddings(s, spectral, settings, modelIdentity);
    expect(miss.key).toMatch(/^embedding\n/);
    expect(miss.hit).toBeUndefined();
    const computed = grid();
    expect(await cache.saveEmbeddings(miss, computed, info)).toBeUndefined();

    const found = await cache.findEmbeddings(s, spectral, settings, modelIdentity);
    expect(found.key).toBe(miss.key);
    expect(found.hit?.grid.data).toEqual(computed.data);
    expect(found.hit?.grid.valid).toEqual(computed.valid);
    expect(found.hit?.info).toEqual(info);
    expect(found.hit?.note).toMatch(
      /^Embeddings from the cache \(computed \d{1,2} \w{3} \d{4}, \d\d:\d\d\)\.$/,
    );
    expect(cache.takeNotice()).toBeUndefined();
  });

  it('another SCL mask, band set or pixel values is another grid: a miss', async () => {
    const cache = new BrowserCache(async () => new MemoryStore());
    const s = scene();
    await cache.saveEmbeddings(
      await cache.findEmbeddings(s, spectral, settings, modelIdentity),
      grid(),
      info,
    );
    const masked = scene([0, 3, 8, 9]);
    expect((await cache.findEmbeddings(masked, spectral, settings, modelIdentity)).hit).toBeUndefined();
    const three: Scene = { ...s, bands: ['green', 'red', 'nir'], reflectance: s.reflectance.slice(1) };
    expect((await cache.findEmbeddings(three, spectral, settings, modelIdentity)).hit).toBeUndefined();
    const brighter = scene();
    brighter.reflectance[2]![7] = 0.5;
    expect((await cache.findEmbeddings(brighter, spectral, settings, modelIdentity)).hit).toBeUndefined();
    expect((await cache.findEmbeddings(s, spectral, settings, modelIdentity)).hit).toBeDefined();
  });

  it('a run that changed backend midway is not stored under the planned model', async () => {
    const store = new MemoryStore();
    const cache = new BrowserCache(async () => store);
    const s = scene();
    const lookup = await cache.findEmbeddings(s, spectral, settings, modelIdentity);
    await cache.saveEmbeddings(lookup, grid(), { ...info, backend: 'webgpu' });
    expect(store.entries.size).toBe(0);
  });

  it('a grid larger than the budget is not stored, and the note says why', async () => {
    const store = new MemoryStore();
    store.budgetBytes = 100;
    const cache = new BrowserCache(async () => store);
    const s = scene();
    const note = await cache.saveEmbeddings(
      await cache.findEmbeddings(s, spectral, settings, modelIdentity),
      grid(),
      info,
    );
    expect(note).toBe("Embeddings are not cached: 600 B is more than the cache's budget (100 B).");
    expect(store.entries.size).toBe(0);
  });

  it('a corrupt entry is removed and said once; the app goes on computing', async () => {
    const store = new MemoryStore();
    const cache = new BrowserCache(async () => store);
    const s = scene();
    const lookup = await cache.findEmbeddings(s, spectral, settings, modelIdentity);
    await store.put(lookup.key!, 'embedding', new ArrayBuffer(10), { width: W });
    expect(await cache.findEmbeddings(s, spectral, settings, modelIdentity)).toEqual({});
    expect(store.entries.size).toBe(0);
    expect(cache.takeNotice()).toMatch(
      /^Embeddings are not cached in this browser: .*corrupt embeddings entry.*without its cache\.$/,
    );
    expect(cache.takeNotice()).toBeUndefined();
  });

  it('storage that is full or missing never breaks computing, and is said once for the whole page', async () => {
    const full = new MemoryStore();
    full.failWith = quotaError();
    full.failOn.add('put');
    const cache = new BrowserCache(async () => full);
    const s = scene();
    const note = await cache.saveEmbeddings(
      await cache.findEmbeddings(s, spectral, settings, modelIdentity),
      grid(),
      info,
    );
    expect(note).toMatch(/Browser storage is full/);
    expect(cache.takeNotice()).toBeUndefined();
    // Off from then on: lookups are misses without a key.
    expect(await cache.findEmbeddings(s, spectral, settings, modelIdentity)).toEqual({});

    const none = new BrowserCache(async () => {
      throw new AppError('unsupported', 'This browser offers no IndexedDB here (private browsing?).');
    });
    expect(await none.findEmbeddings(s, spectral, settings, modelIdentity)).toEqual({});
    expect(await none.overview()).toBeUndefined();
    // The scene worker's notice about the same storage is the one said; this page's is not repeated.
    expect(none.takeNotice('Tiles are not cached in this browser: no IndexedDB.')).toMatch(/^Tiles/);
    expect(none.takeNotice()).toBeUndefined();
  });

  it('the stored form refuses facts that do not match its length', () => {
    const { bytes, meta } = encodeEmbeddings({ grid: grid(), info, computedAt: '2025-11-21T19:00:00Z' });
    expect(decodeEmbeddings(bytes, meta, false).grid.data).toEqual(grid().data);
    expect(() => decodeEmbeddings(bytes.slice(1), meta, false)).toThrow(/corrupt/);
    expect(() => decodeEmbeddings(bytes, { ...meta, dim: 5 }, false)).toThrow(/corrupt/);
    expect(() => decodeEmbeddings(bytes, { ...meta, info: 'x' }, false)).toThrow(/corrupt/);
    expect(decodeEmbeddings(bytes, meta, true).grid.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
