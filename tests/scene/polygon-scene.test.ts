import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { type LonLat, polygonMask, ringBBox, validatePolygon } from '../../src/lib/geo/index.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import type { SceneRequest } from '../../src/lib/scene/scene.ts';
import { fixtureItems } from './synthetic-fixtures.ts';

let dir = '';
let server: Server;
let url = '';
const JUNE = '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z';
// A triangle inside the first synthetic tile (see load-stac.test.ts: INSIDE_A).
const TRIANGLE: LonLat[] = validatePolygon([
  [11.942, 46.581],
  [11.969, 46.584],
  [11.95, 46.598],
]);
const BOX = ringBBox(TRIANGLE);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'polygon-scene-'));
  await buildSyntheticPack(path.join(dir, 'synthetic'), fixtureItems());
  ({ server, url } = await startStacServer({ packsDir: dir }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const stac = (extra: Partial<Extract<SceneRequest, { kind: 'stac' }>> = {}): SceneRequest => ({
  kind: 'stac',
  endpoint: url,
  collection: 'sentinel-2-c1-l2a',
  area: BOX,
  datetime: JUNE,
  maxCloudCover: 50,
  ...extra,
});

describe('a drawn polygon on a loaded scene', () => {
  it('searches with `intersects` and masks every pixel outside the polygon', async () => {
    const bodies: unknown[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (String(input).endsWith('/search') && typeof init?.body === 'string')
        bodies.push(JSON.parse(init.body));
      return realFetch(input, init);
    });
    const boxOnly = await loadScene(stac(), () => undefined);
    const masked = await loadScene(stac({ polygon: TRIANGLE }), () => undefined);

    expect(bodies[0]).toHaveProperty('bbox');
    expect(bodies[0]).not.toHaveProperty('intersects');
    expect(bodies[1]).toEqual(
      expect.objectContaining({ intersects: { type: 'Polygon', coordinates: [[...TRIANGLE, TRIANGLE[0]]] } }),
    );
    expect(bodies[1]).not.toHaveProperty('bbox');

    // Same scene, same grid (the polygon's box); valid = the box's own validity AND inside.
    expect(masked.itemIds).toEqual(boxOnly.itemIds);
    expect(masked.grid).toEqual(boxOnly.grid);
    const { mask, inside } = polygonMask(masked.grid, TRIANGLE);
    let expected = 0;
    for (let i = 0; i < mask.length; i++) {
      const want = boxOnly.valid[i]! & mask[i]!;
      expected += want;
      if (masked.valid[i] !== want) throw new Error(`pixel ${i}: valid ${masked.valid[i]}, expected ${want}`);
    }
    expect(inside).toBeGreaterThan(0.3 * mask.length);
    expect(inside).toBeLessThan(0.7 * mask.length);
    expect(masked.validFraction).toBeCloseTo(expected / mask.length, 12);
    expect(masked.validFraction).toBeLessThan(boxOnly.validFraction * 0.7);
    expect(masked.maskDescription).toBe(`${boxOnly.maskDescription}; outside the drawn polygon`);
  });

  it('masks a pack the same way (the polygon travels with its box as the area)', async () => {
    const catalogUrl = `${url}/packs/synthetic/catalog.json`;
    const request = { kind: 'pack' as const, catalogUrl, itemIds: ['S2A_32TQS_20220610'], area: BOX };
    const boxOnly = await loadScene(request, () => undefined);
    const masked = await loadScene({ ...request, polygon: TRIANGLE }, () => undefined);
    const { mask } = polygonMask(masked.grid, TRIANGLE);
    expect(Array.from(masked.valid)).toEqual(Array.from(boxOnly.valid, (v, i) => v & mask[i]!));
  });
});
