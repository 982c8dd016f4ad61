import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { SceneCache } from '../../src/lib/cache/scene-cache.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import { loadScene } from '../../src/lib/scene/index.ts';
import { fixtureItems } from '../scene/synthetic-fixtures.ts';
import { MemoryStore } from './memory-store.ts';

let dir = '';
let server: Server;
let url = '';
const store = new MemoryStore();
let cache: SceneCache;
const AREA: BBox = [11.941, 46.58, 11.97, 46.599];
const request = () => ({
  kind: 'stac' as const,
  endpoint: url,
  collection: 'sentinel-2-c1-l2a',
  area: AREA,
  datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
  maxCloudCover: 50,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'offline-revisit-'));
  await buildSyntheticPack(path.join(dir, 'synthetic'), fixtureItems());
  ({ server, url } = await startStacServer({ packsDir: dir }));
  cache = await SceneCache.open(async () => store);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('a STAC scene revisited: from the cache online, and offline', () => {
  it('online, the revisit reads no COG byte from the server; offline it still opens, and says why', async () => {
    const first = await loadScene(request(), () => undefined, undefined, undefined, cache);
    await cache.settle();
    expect(first.stats).toMatchObject({ checks: 0, cacheBytes: 0 });
    expect(first.cacheNote).toBeUndefined();
    expect([...store.entries.values()].filter((e) => e.kind === 'search')).toHaveLength(1);

    const again = await loadScene(request(), () => undefined, undefined, undefined, cache);
    expect(again.reflectance).toEqual(first.reflectance);
    expect(again.stats!.bytes).toBe(0);
    expect(again.stats!.requests).toBe(again.stats!.checks);
    expect(again.stats!.cacheBytes).toBe(first.stats!.bytes);

    // The server goes away (no network): the search answer and every range come from the cache.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const offline = await loadScene(request(), () => undefined, undefined, undefined, cache);
    expect(offline.itemIds).toEqual(first.itemIds);
    expect(offline.reflectance).toEqual(first.reflectance);
    expect(offline.valid).toEqual(first.valid);
    expect(offline.stats!.bytes).toBe(0);
    expect(offline.cacheNote).toMatch(/^Offline: the scene list saved on .+ is used \(Could not reach /);
    expect(cache.takeProblem()).toBeUndefined();

    // A search never made before has nothing to fall back on: the network error stands.
    await expect(
      loadScene({ ...request(), maxCloudCover: 10 }, () => undefined, undefined, undefined, cache),
    ).rejects.toMatchObject({ code: 'network' });
  });
});
