import { describe, expect, it } from 'vitest';
import { openTiff } from '../../src/lib/cog/open-tiff.ts';
import { readBandOnGrid } from '../../src/lib/cog/read-band.ts';
import { writeCog } from '../../src/lib/cog/writer/cog-writer.ts';
import { AppError } from '../../src/lib/errors.ts';
import { parseItemCollection } from '../../src/lib/stac/parse-items.ts';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its index. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every failure must be an AppError with a code other than 'internal'. */
function expectAppError(error: unknown, label: string): void {
  if (!(error instanceof AppError) || error.code === 'internal')
    throw new Error(
      `${label}: escaped the AppError path: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
}

/** Fails the case when it takes over `ms` (a hang), without timed assertions on success. */
function bounded<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Mutated headers per run: enough to hit every tag of the header many times, quick enough for CI. */
const CASES = 800;

const GRID = { epsg: 32632, transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 } };

describe('fuzz: mutated TIFF headers', () => {
  it(`${CASES} mutated COG headers: each reads or fails with an AppError, none hangs`, async () => {
    const data = new Uint16Array(64 * 64).map((_, i) => 1000 + (i % 61));
    const cog = writeCog({
      width: 64,
      height: 64,
      data,
      grid: GRID,
      tileSize: 16,
      overviewResampling: 'average',
    });
    const target = { width: 64, height: 64, epsg: 32632, transform: GRID.transform };
    const headerEnd = Math.min(cog.length, 900);
    const random = rng(1234);
    let failed = 0;
    for (let n = 0; n < CASES; n++) {
      const bytes = cog.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let k = 0; k < flips; k++) bytes[Math.floor(random() * headerEnd)] = Math.floor(random() * 256);
      const label = `case ${n}`;
      try {
        await bounded(
          (async () => {
            const tiff = await openTiff({ kind: 'file', file: new Blob([bytes]), name: label });
            await readBandOnGrid(tiff, target, label, { method: 'nearest' });
          })(),
          5000,
          label,
        );
      } catch (error) {
        failed++;
        expectAppError(error, label);
      }
    }
    // Many mutations hit bytes nobody reads; many others must have been refused.
    expect(failed).toBeGreaterThan(CASES / 20);
  });
});

describe('fuzz: mutated STAC responses', () => {
  const item = {
    type: 'Feature',
    stac_version: '1.0.0',
    id: 'S2A_32TQS_20220610_0_L2A',
    collection: 'sentinel-2-c1-l2a',
    bbox: [11.9, 46.5, 12.1, 46.7],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [11.9, 46.5],
          [12.1, 46.5],
          [12.1, 46.7],
          [11.9, 46.7],
          [11.9, 46.5],
        ],
      ],
    },
    properties: {
      datetime: '2022-06-10T10:00:00Z',
      'eo:cloud_cover': 3.2,
      'proj:epsg': 32632,
      's2:processing_baseline': '05.09',
    },
    assets: {
      red: { href: 'https://x/B04.tif', 'raster:bands': [{ scale: 0.0001, offset: -0.1, nodata: 0 }] },
      thumbnail: { href: 'thumb.jpg' },
    },
    links: [],
  };
  const page = {
    type: 'FeatureCollection',
    features: [item],
    links: [{ rel: 'next', href: 'https://x/search', method: 'POST', body: { token: 't' } }],
  };
  const WEIRD: unknown[] = [
    null,
    0,
    -1,
    1e308,
    '',
    'x',
    [],
    {},
    true,
    [1, 2],
    { type: 'Polygon' },
    Number.NaN,
  ];

  /** Replaces, deletes or retypes one random node of the JSON tree. */
  function mutate(value: unknown, random: () => number, depth = 0): unknown {
    if (value === null || typeof value !== 'object')
      return random() < 0.5 ? WEIRD[Math.floor(random() * WEIRD.length)] : value;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
      ? [...value]
      : { ...(value as object) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || (depth > 0 && random() < 0.15))
      return WEIRD[Math.floor(random() * WEIRD.length)];
    const key = keys[Math.floor(random() * keys.length)]!;
    const bag = copy as Record<string, unknown>;
    if (random() < 0.2 && !Array.isArray(copy)) delete bag[key];
    else bag[key] = mutate(bag[key], random, depth + 1);
    return copy;
  }

  it('2400 mutated item collections (and truncated texts): parsed or refused with an AppError', () => {
    const random = rng(99);
    const text = JSON.stringify(page);
    let refused = 0;
    for (let n = 0; n < 2400; n++) {
      let json: unknown = page;
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) json = mutate(json, random);
      try {
        parseItemCollection(json, 'https://x/search', `case ${n}`);
      } catch (error) {
        refused++;
        expectAppError(error, `case ${n}`);
      }
      // Truncated bodies never reach the parser as objects: JSON.parse fails first (fetchJson's path).
      expect(() => JSON.parse(text.slice(0, Math.floor(random() * text.length)))).toThrow();
    }
    expect(refused).toBeGreaterThan(400);
  });
});
