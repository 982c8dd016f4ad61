import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { FIXTURE_BANDS as BANDS, fixtureItems } from '../scene/synthetic-fixtures.ts';

let dir = '';
let server: Server;
let url = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stac-api-'));
  await buildSyntheticPack(path.join(dir, 'synthetic'), fixtureItems());
  ({ server, url } = await startStacServer({ packsDir: dir }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const ids = (json: Record<string, unknown>) => (json.features as { id: string }[]).map((f) => f.id);

describe('serve:stac: a STAC API over a folder of packs', () => {
  it('filters by bbox, datetime and eo:cloud_cover, sorted as asked', async () => {
    const all = await post({ collections: ['sentinel-2-c1-l2a'], bbox: [11.9, 46.5, 12.1, 46.7] });
    expect(all.status).toBe(200);
    expect(ids(all.json)).toEqual(['S2B_32TQS_20220705', 'S2A_32TQS_20220610', 'S2A_33TUM_20220610']);
    const june = await post({
      bbox: [11.9, 46.5, 12.1, 46.7],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      sortby: [{ field: 'properties.eo:cloud_cover', direction: 'asc' }],
    });
    expect(ids(june.json)).toEqual(['S2A_32TQS_20220610', 'S2A_33TUM_20220610']);
    const clear = await post({ bbox: [11.9, 46.5, 12.1, 46.7], query: { 'eo:cloud_cover': { lte: 6 } } });
    expect(ids(clear.json).sort()).toEqual(['S2A_32TQS_20220610', 'S2B_32TQS_20220705']);
    expect(ids((await post({ bbox: [0, 0, 1, 1] })).json)).toEqual([]);
    expect(ids((await post({ collections: ['other'] })).json)).toEqual([]);
  });

  it('pages with next links (POST body token, GET url token)', async () => {
    const seen: string[] = [];
    let page = await post({ limit: 1 });
    seen.push(...ids(page.json));
    for (;;) {
      const next = (page.json.links as { rel: string; body?: unknown; method?: string }[]).find(
        (l) => l.rel === 'next',
      );
      if (!next) break;
      expect(next.method).toBe('POST');
      page = await post({ limit: 1, ...(next.body as object) });
      seen.push(...ids(page.json));
    }
    expect(seen).toHaveLength(3);
    const get = (await (await fetch(`${url}/search?limit=2&bbox=11.9,46.5,12.1,46.7`)).json()) as Record<
      string,
      unknown
    >;
    expect(ids(get)).toHaveLength(2);
    const next = (get.links as { rel: string; href: string }[]).find((l) => l.rel === 'next')!;
    expect(ids((await (await fetch(next.href)).json()) as Record<string, unknown>)).toHaveLength(1);
  });

  it('answers a bad search with 400 naming the field', async () => {
    const bad = await post({ bbox: 'everywhere' });
    expect(bad.status).toBe(400);
    expect(String(bad.json.description)).toMatch(/^bbox:/);
    const badTime = await post({ datetime: 'yesterday/today' });
    expect(badTime.status).toBe(400);
    expect(String(badTime.json.description)).toMatch(/datetime/);
  });

  it('serves items shaped like Earth Search items, with absolute asset hrefs that answer Range', async () => {
    const { json } = await post({ ids: ['S2A_32TQS_20220610'] });
    const item = (json.features as Record<string, unknown>[])[0]!;
    expect(item.collection).toBe('sentinel-2-c1-l2a');
    const assets = item.assets as Record<
      string,
      { href: string; 'raster:bands': { scale: number; offset: number }[] }
    >;
    expect(Object.keys(assets).sort()).toEqual([...BANDS].sort());
    expect(assets.red!['raster:bands'][0]).toMatchObject({ scale: 0.0001, offset: -0.1, nodata: 0 });
    expect(assets.red!.href).toBe(`${url}/packs/synthetic/S2A_32TQS_20220610/B04.tif`);
    const range = await fetch(assets.red!.href, { headers: { Range: 'bytes=0-3' } });
    expect(range.status).toBe(206);
    expect([...new Uint8Array(await range.arrayBuffer())]).toEqual([0x49, 0x49, 42, 0]);
    const self = (item.links as { rel: string; href: string }[]).find((l) => l.rel === 'self')!;
    expect(((await (await fetch(self.href)).json()) as { id: string }).id).toBe('S2A_32TQS_20220610');
  });
});
