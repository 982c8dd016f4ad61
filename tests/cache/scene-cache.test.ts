import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_DEADLINE_MS } from '../../src/lib/cache/deadline.ts';
import { SceneCache } from '../../src/lib/cache/scene-cache.ts';
import { parseTileKey } from '../../src/lib/cache/tile-key.ts';
import {
  createReadContext,
  fileVersion,
  openTiff,
  readBandOnGrid,
  writeCog,
} from '../../src/lib/cog/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { CogServer } from '../cog/cog-server.ts';
import { MemoryStore, quotaError } from './memory-store.ts';

const SIZE = 1024;
const GRID = { epsg: 32632, transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 } };

function band(seed: number): Uint16Array {
  const data = new Uint16Array(SIZE * SIZE);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = 1000 + ((i % SIZE) >> 2) + (s >>> 24);
  }
  return data;
}

const cogOf = (data: Uint16Array) =>
  writeCog({
    width: SIZE,
    height: SIZE,
    data,
    grid: GRID,
    tileSize: 256,
    nodata: 0,
    overviewResampling: 'average',
  });

/** Tile columns 2..3, rows 1..3 of the 1024 px file. */
const target: GridSpec = {
  width: 400,
  height: 500,
  epsg: 32632,
  transform: { originX: 600_000 + 600 * 10, originY: 5_200_000 - 300 * 10, resX: 10, resY: 10 },
};

const server = new CogServer();
const pixelsA = band(7);
const pixelsB = band(9);
let cogA: Uint8Array;
let cogB: Uint8Array;

beforeAll(async () => {
  cogA = cogOf(pixelsA);
  cogB = cogOf(pixelsB);
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

async function read(url: string, tiles: SceneCache) {
  const ctx = createReadContext(undefined, { tiles });
  const tiff = await openTiff({ kind: 'url', url }, undefined, ctx);
  const values = await readBandOnGrid(tiff, target, url, { method: 'nearest' });
  await tiles.settle();
  return { values, stats: ctx.stats };
}

/** The expected value of target pixel (r, c): source pixel (300 + r, 600 + c). */
const expectPixels = (values: Float32Array, pixels: Uint16Array) => {
  for (const [r, c] of [
    [0, 0],
    [499, 399],
    [123, 321],
  ] as const)
    expect(values[r * 400 + c]).toBe(pixels[(300 + r) * SIZE + 600 + c]);
};

const ranged = () => server.log.filter((l) => l.range !== undefined);

describe('COG byte ranges in the browser cache (range reader + SceneCache over a CacheStore)', () => {
  it('a revisit reads every range from the cache: one HEAD, no range request, the same pixels', async () => {
    server.files.set('/a.tif', { bytes: cogA, behaviour: 'range', etag: '"a1"' });
    const store = new MemoryStore();
    const tiles = await SceneCache.open(async () => store);
    const url = `${server.url}/a.tif`;

    const first = await read(url, tiles);
    expectPixels(first.values, pixelsA);
    // A first visit asks nothing extra: only range requests, and every fetched byte is stored.
    expect(server.log.every((l) => l.method === 'GET' && l.range)).toBe(true);
    expect(first.stats).toMatchObject({ checks: 0, cacheBytes: 0 });
    const stored = [...store.entries.values()];
    expect(stored.every((e) => e.kind === 'tile' && parseTileKey(e.key)?.url === url)).toBe(true);
    expect(stored.reduce((sum, e) => sum + e.size, 0)).toBe(first.stats.bytes);

    server.reset();
    const second = await read(url, tiles);
    expect(second.values).toEqual(first.values);
    expect(server.log).toEqual([{ method: 'HEAD', path: '/a.tif', range: undefined }]);
    expect(second.stats).toEqual({ bytes: 0, requests: 1, checks: 1, cacheBytes: first.stats.bytes });
    expect(tiles.takeProblem()).toBeUndefined();
  });

  it('a wider window on a revisit fetches only the tiles not stored yet', async () => {
    server.files.set('/w.tif', { bytes: cogA, behaviour: 'range' });
    const tiles = await SceneCache.open(async () => new MemoryStore());
    const url = `${server.url}/w.tif`;
    const first = await read(url, tiles);
    server.reset();
    const ctx = createReadContext(undefined, { tiles });
    const tiff = await openTiff({ kind: 'url', url }, undefined, ctx);
    const wider: GridSpec = {
      ...target,
      width: 800,
      transform: { ...target.transform, originX: 600_000 + 200 * 10 },
    };
    const values = await readBandOnGrid(tiff, wider, 'w.tif', { method: 'nearest' });
    expect(values[0]).toBe(pixelsA[300 * SIZE + 200]);
    expect(values[499 * 800 + 799]).toBe(pixelsA[799 * SIZE + 999]);
    // Tile columns 0..1 are new; columns 2..3 (and the header) come from the cache.
    expect(ranged().length).toBeGreaterThan(0);
    expect(ctx.stats.cacheBytes).toBe(first.stats.bytes);
    expect(ctx.stats.bytes).toBeLessThan(first.stats.bytes * 2);
  });

  it('a file changed on the server (new ETag) is fetched afresh and its old ranges are dropped', async () => {
    server.files.set('/c.tif', { bytes: cogA, behaviour: 'range', etag: '"c1"' });
    const store = new MemoryStore();
    const tiles = await SceneCache.open(async () => store);
    const url = `${server.url}/c.tif`;
    expectPixels((await read(url, tiles)).values, pixelsA);

    server.files.set('/c.tif', { bytes: cogB, behaviour: 'range', etag: '"c2"' });
    server.reset();
    const again = await read(url, tiles);
    expectPixels(again.values, pixelsB);
    expect(server.log[0]?.method).toBe('HEAD');
    expect(ranged().length).toBeGreaterThan(0);
    expect(again.stats.cacheBytes).toBe(0);
    const versions = new Set([...store.entries.keys()].map((k) => parseTileKey(k)?.version));
    expect([...versions]).toEqual([fileVersion('"c2"', null, cogB.length)]);
  });

  it('offline, the stored ranges serve the whole read', async () => {
    const away = new CogServer();
    await away.start();
    away.files.set('/o.tif', { bytes: cogA, behaviour: 'range' });
    const tiles = await SceneCache.open(async () => new MemoryStore());
    const url = `${away.url}/o.tif`;
    const first = await read(url, tiles);
    await away.stop();
    const offline = await read(url, tiles);
    expect(offline.values).toEqual(first.values);
    expect(offline.stats).toMatchObject({ bytes: 0, cacheBytes: first.stats.bytes });
  });

  it('storage that fails (quota) never breaks a read: it goes on over the network and says so once', async () => {
    server.files.set('/q.tif', { bytes: cogA, behaviour: 'range' });
    const store = new MemoryStore();
    store.failWith = quotaError();
    store.failOn.add('put');
    const tiles = await SceneCache.open(async () => store);
    const first = await read(`${server.url}/q.tif`, tiles);
    expectPixels(first.values, pixelsA);
    expect(tiles.active).toBe(false);
    expect(tiles.takeProblem()).toMatch(
      /^Tiles are not cached in this browser: Browser storage is full.*without its cache\.$/,
    );
    expect(tiles.takeProblem()).toBeUndefined();
    // Off for the session: the next read goes straight to the network, without asking the store.
    store.calls.length = 0;
    expectPixels((await read(`${server.url}/q.tif`, tiles)).values, pixelsA);
    expect(store.calls).toEqual([]);
  });

  it('a corrupt entry on a revisit: the ranges are fetched again and the problem is said', async () => {
    server.files.set('/k.tif', { bytes: cogA, behaviour: 'range' });
    const store = new MemoryStore();
    const tiles = await SceneCache.open(async () => store);
    const url = `${server.url}/k.tif`;
    const first = await read(url, tiles);
    store.failWith = new AppError('internal', 'Browser storage held a corrupt cache entry; it was removed.');
    store.failOn.add('get');
    server.reset();
    const again = await read(url, tiles);
    expect(again.values).toEqual(first.values);
    expect(again.stats.bytes).toBe(first.stats.bytes);
    expect(tiles.takeProblem()).toMatch(/corrupt cache entry/);
  });

  it('no storage at all (no IndexedDB): reads work and the reason is said once', async () => {
    server.files.set('/n.tif', { bytes: cogA, behaviour: 'range' });
    const tiles = await SceneCache.open(async () => {
      throw new AppError('unsupported', 'This browser offers no IndexedDB here (private browsing?).');
    });
    expectPixels((await read(`${server.url}/n.tif`, tiles)).values, pixelsA);
    expect(tiles.takeProblem()).toMatch(/no IndexedDB/);
    expect(tiles.takeProblem()).toBeUndefined();
  });
});

describe('storage that never answers', () => {
  it('counts as failed after the deadline: the read goes on without it, and says so', async () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryStore();
      store.list = () => new Promise(() => undefined);
      const tiles = await SceneCache.open(async () => store);
      const ranges = tiles.ranges('http://example.org/a.tif');
      await vi.advanceTimersByTimeAsync(STORAGE_DEADLINE_MS);
      expect(await ranges).toEqual([]);
      expect(tiles.active).toBe(false);
      expect(tiles.takeProblem()).toMatch(/Browser storage did not answer within 30 s\./);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a store that opens too late is closed when it finally opens', async () => {
    vi.useFakeTimers();
    try {
      let open: (store: MemoryStore) => void = () => undefined;
      const late = new MemoryStore();
      let closed = false;
      late.close = () => {
        closed = true;
      };
      const opening = SceneCache.open(() => new Promise((resolve) => (open = resolve)));
      await vi.advanceTimersByTimeAsync(STORAGE_DEADLINE_MS);
      const tiles = await opening;
      expect(tiles.active).toBe(false);
      open(late);
      await vi.advanceTimersByTimeAsync(0);
      expect(closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
