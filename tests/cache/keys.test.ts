import { describe, expect, it } from 'vitest';
import { type EmbeddingKeyParts, embeddingKey, inputDigest } from '../../src/lib/cache/embedding-key.ts';
import { parseTileKey, tileKey, tilePrefix } from '../../src/lib/cache/tile-key.ts';
import { fileVersion } from '../../src/lib/cog/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { canonicalJson } from '../../src/lib/text/index.ts';

const base: EmbeddingKeyParts = {
  scene: {
    id: 'S2A_32TQS_20220627',
    source: 'pack',
    itemIds: ['S2A_32TQS_20220627'],
    datetime: '2022-06-27T10:17:12Z',
  },
  grid: {
    width: 1059,
    height: 934,
    epsg: 32632,
    transform: { originX: 281_000, originY: 5_166_000, resX: 10, resY: 10 },
  },
  bands: ['blue', 'green', 'red', 'nir'],
  sclMask: [0, 1, 3, 8, 9, 10],
  model: { id: 'spectral', sha256: 'a'.repeat(64), dtype: 'fp32', backend: 'wasm' },
  params: {},
  input: 'b'.repeat(64),
};

async function differs(change: (p: EmbeddingKeyParts) => EmbeddingKeyParts): Promise<boolean> {
  return (await embeddingKey(change(structuredClone(base)))) !== (await embeddingKey(base));
}

describe('embedding cache keys', () => {
  it('are stable: equal parts give the same key, whatever the order of object keys', async () => {
    const reordered: EmbeddingKeyParts = {
      input: base.input,
      params: {},
      model: { backend: 'wasm', dtype: 'fp32', sha256: 'a'.repeat(64), id: 'spectral' },
      sclMask: [...base.sclMask!],
      bands: [...base.bands],
      grid: structuredClone(base.grid),
      scene: { ...base.scene },
    };
    expect(await embeddingKey(reordered)).toBe(await embeddingKey(base));
    expect(await embeddingKey(base)).toMatch(/^embedding\n[0-9a-f]{64}$/);
  });

  it('treat the SCL mask as a set, but different classes as different embeddings', async () => {
    expect(await differs((p) => ({ ...p, sclMask: [10, 9, 8, 3, 1, 0] }))).toBe(false);
    expect(await differs((p) => ({ ...p, sclMask: [0, 1, 3, 8, 9] }))).toBe(true);
    expect(await differs((p) => ({ ...p, sclMask: [0, 1, 3, 8, 9, 10, 11] }))).toBe(true);
    expect(await differs((p) => ({ ...p, sclMask: null }))).toBe(true);
  });

  it('differ for another model, model file, variant or backend', async () => {
    expect(await differs((p) => ({ ...p, model: { ...p.model, id: 'presto' } }))).toBe(true);
    expect(await differs((p) => ({ ...p, model: { ...p.model, sha256: 'c'.repeat(64) } }))).toBe(true);
    expect(await differs((p) => ({ ...p, model: { ...p.model, dtype: 'int8' } }))).toBe(true);
    expect(await differs((p) => ({ ...p, model: { ...p.model, backend: 'webgpu' } }))).toBe(true);
  });

  it('differ for another scene, date, grid, band order, encoder parameter or input pixels', async () => {
    expect(
      await differs((p) => ({
        ...p,
        scene: { ...p.scene, itemIds: ['S2A_32TQS_20220627', 'S2A_32TQR_20220627'] },
      })),
    ).toBe(true);
    expect(await differs((p) => ({ ...p, scene: { ...p.scene, datetime: '2022-06-28T10:17:12Z' } }))).toBe(
      true,
    );
    expect(await differs((p) => ({ ...p, grid: { ...p.grid, width: 1058 } }))).toBe(true);
    expect(
      await differs((p) => ({
        ...p,
        grid: { ...p.grid, transform: { ...p.grid.transform, originX: 281_010 } },
      })),
    ).toBe(true);
    expect(await differs((p) => ({ ...p, bands: ['green', 'blue', 'red', 'nir'] }))).toBe(true);
    expect(await differs((p) => ({ ...p, params: { factor: 8, month: 5 } }))).toBe(true);
    expect(
      (await embeddingKey({ ...base, params: { factor: 8, month: 5 } })) !==
        (await embeddingKey({ ...base, params: { factor: 4, month: 5 } })),
    ).toBe(true);
    expect(await differs((p) => ({ ...p, input: 'd'.repeat(64) }))).toBe(true);
  });

  it('canonical JSON sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('the input digest follows the pixels and the mask, band by band', async () => {
    const scene = (red: number, valid: number): Scene => ({
      id: 's',
      title: 's',
      datetime: '2022-06-27',
      source: 'pack',
      grid: base.grid,
      bands: ['red', 'nir'],
      reflectance: [new Float32Array([red, 0.2, 0.3]), new Float32Array([0.4, 0.5, 0.6])],
      valid: new Uint8Array([1, valid, 1]),
      validFraction: 1,
      maskDescription: '',
    });
    const a = await inputDigest(scene(0.1, 1), ['red', 'nir']);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await inputDigest(scene(0.1, 1), ['red', 'nir'])).toBe(a);
    expect(await inputDigest(scene(0.11, 1), ['red', 'nir'])).not.toBe(a);
    expect(await inputDigest(scene(0.1, 0), ['red', 'nir'])).not.toBe(a);
    expect(await inputDigest(scene(0.1, 1), ['nir', 'red'])).not.toBe(a);
  });
});

describe('tile cache keys', () => {
  it('round-trip, and every key of a file starts with its prefix', () => {
    const version = fileVersion('"5f-1a2b"', 'Tue, 21 Nov 2025 16:54:00 GMT', 1_880_788);
    const key = tileKey({
      url: 'http://127.0.0.1:8080/packs/d/B04.tif',
      version,
      offset: 16384,
      length: 65536,
    });
    expect(key.startsWith(tilePrefix('http://127.0.0.1:8080/packs/d/B04.tif'))).toBe(true);
    expect(parseTileKey(key)).toEqual({
      url: 'http://127.0.0.1:8080/packs/d/B04.tif',
      version,
      offset: 16384,
      length: 65536,
    });
    expect(parseTileKey('embedding\nabc')).toBeUndefined();
    expect(parseTileKey(`${tilePrefix('u')}${version}\n-1\n10`)).toBeUndefined();
  });

  it('a file version changes with its ETag, its date or its size', () => {
    const v = fileVersion('"1"', 'Tue, 21 Nov 2025 16:54:00 GMT', 100);
    expect(fileVersion('"2"', 'Tue, 21 Nov 2025 16:54:00 GMT', 100)).not.toBe(v);
    expect(fileVersion('"1"', 'Wed, 22 Nov 2025 16:54:00 GMT', 100)).not.toBe(v);
    expect(fileVersion('"1"', 'Tue, 21 Nov 2025 16:54:00 GMT', 101)).not.toBe(v);
    // No validators at all: the size is all there is.
    expect(fileVersion(null, null, 100)).toBe('[null,null,100]');
    // Whatever a server sends, a version never holds the key separator.
    expect(fileVersion('"a\nb"', null, 1)).not.toContain('\n');
  });
});
