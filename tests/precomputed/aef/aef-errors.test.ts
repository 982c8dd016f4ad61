import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH, type FixtureTile } from '../../../scripts/aef-fixture/build-aef-fixture.ts';
import { AppError } from '../../../src/lib/errors.ts';
import type { GridSpec } from '../../../src/lib/geo/index.ts';
import { aefProduct, clearIndexCache } from '../../../src/lib/precomputed/aef/index.ts';
import { targetGridFor } from '../../../src/lib/precomputed/target-grid.ts';
import type { PrecomputedProgress } from '../../../src/lib/precomputed/types.ts';
import { countingFetch, type ServedFixture, serveAefFixture } from './aef-server.ts';

let served: ServedFixture;
beforeAll(async () => {
  served = await serveAefFixture();
}, 600_000);
afterAll(() => served?.close());

function tile(zone: string, row: number, col: number): FixtureTile {
  return served.fx.tiles.find((t) => t.zone === zone && t.row === row && t.col === col)!;
}

/** All six tiles of a year in zone 32's CRS. */
function everything(): GridSpec {
  const t = tile('32N', 0, 0);
  return {
    width: 1500,
    height: 1024,
    epsg: 32632,
    transform: { originX: t.west, originY: t.north, resX: 10, resY: 10 },
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const request = (grid: GridSpec, year = 2022, baseUrl = served.base) => ({
  family: 'aef' as const,
  baseUrl,
  year,
  grid,
});

describe('AlphaEarth errors: each a clear message, nothing half-loaded', () => {
  it('a 404 index says the index is not there and names the base URL to check', async () => {
    const e = await failure(aefProduct.read(request(everything(), 2022, `${served.base}/nowhere`)));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(
      /AlphaEarth index is not there: the server answered 404 for .*nowhere\/aef_index\.parquet\. Check the base URL/,
    );
  });

  it('a year the index does not list says which years it has', async () => {
    const e = await failure(aefProduct.read(request(everything(), 2031)));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/AlphaEarth has no files for 2031 at .* \(it lists 2018–2024\)/);
  });

  it('an area no tile covers says so (a listed year with files only elsewhere, and another place)', async () => {
    const e = await failure(aefProduct.read(request(everything(), 2019)));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/No AlphaEarth tile of 2019 covers the area \(11\.\d+, 46\.\d+/);
    const sahara = targetGridFor([-13.1, 27.0, -13.0, 27.1], 100);
    expect((await failure(aefProduct.read(request(sahara)))).message).toMatch(
      /No AlphaEarth tile of 2022 covers/,
    );
  });

  it('a missing tile among several fails the whole read and names it', async () => {
    const e = await failure(aefProduct.read(request(everything(), 2022, served.missingBase)));
    expect(e.code).toBe('not-found');
    expect(e.message).toContain(
      `1 of 6 AlphaEarth tile(s) could not be read, so nothing was loaded: 32N/${served.fx.brokenTile}: missing on the server (HTTP 404)`,
    );
    // An area that does not touch the missing tile still loads from the same mirror.
    const elsewhere: GridSpec = {
      ...everything(),
      width: 300,
      height: 300,
      transform: { ...everything().transform, originY: tile('32N', 1, 0).north },
    };
    expect(
      (await aefProduct.read(request(elsewhere, 2022, served.missingBase))).embeddings.valid.some((v) => v),
    ).toBe(true);
  });

  it('a tile with damaged blocks fails with its name, not a decoder message', async () => {
    const e = await failure(aefProduct.read(request(everything(), 2022, served.corruptBase)));
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain(`32N/${served.fx.brokenTile} is damaged: its pixel data`);
    expect(e.message).not.toMatch(/zstd|Unknown frame|magic/i);
  });

  it('a cancelled read ends with "cancelled"', async () => {
    const controller = new AbortController();
    const pending = aefProduct.read(request(everything()), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'read') controller.abort();
      },
    });
    const e = await failure(pending);
    expect(e.code).toBe('aborted');
    expect(e.message).toMatch(/cancelled/);
  });

  it('refuses a grid too large to hold, before any request', async () => {
    const counter = countingFetch();
    const huge: GridSpec = { ...everything(), width: 3000, height: 3000 };
    const e = await failure(aefProduct.read(request(huge), { fetch: counter.fetch }));
    expect(e.code).toBe('too-large');
    expect(counter.requests).toBe(0);
  });
});

/** Bytes of the blocks a 10 m grid on one tile's lattice touches, from the file itself (plus the 16 KiB header read). */
async function touchedBytes(t: FixtureTile, grid: GridSpec): Promise<number> {
  const bytes = await readFile(join(served.fx.root, BASE_PATH, '2022', t.zone, t.file));
  const image = await (await fromArrayBuffer(bytes.buffer as ArrayBuffer)).getImage();
  const size = served.fx.size;
  const c0 = Math.round((grid.transform.originX - t.west) / 10);
  const r0 = Math.round((t.north - grid.transform.originY) / 10);
  // Bottom-up: picture rows [r0, r1) are stored rows [size - r1, size - r0).
  const [s0, s1] = [size - (r0 + grid.height), size - r0];
  const counts = (await image.getFileDirectory().loadValue('TileByteCounts')) as ArrayLike<number>;
  let total = 16 * 1024;
  for (let by = Math.floor(s0 / 256); by <= Math.floor((s1 - 1) / 256); by++)
    for (let bx = Math.floor(c0 / 256); bx <= Math.floor((c0 + grid.width - 1) / 256); bx++)
      total += Number(counts[by * 2 + bx]);
  return total;
}

describe('AlphaEarth partial reads', () => {
  it('fetches at most 1.1x the bytes of the blocks the area touches, counted through the fetch option', async () => {
    const t = tile('32N', 1, 0);
    const grid: GridSpec = {
      width: 200,
      height: 150,
      epsg: 32632,
      transform: { originX: t.west + 300, originY: t.north - 300, resX: 10, resY: 10 },
    };
    await aefProduct.estimate(request(grid)); // the index footer and row group are cached per base URL
    const counter = countingFetch();
    const result = await aefProduct.read(request(grid), { fetch: counter.fetch });
    const touched = await touchedBytes(t, grid);
    expect(counter.bytes).toBe(result.fetched.bytes);
    expect(counter.requests).toBe(result.fetched.requests);
    expect([...counter.byUrl.keys()].every((u) => u.endsWith(t.file))).toBe(true);
    expect(counter.bytes).toBeLessThanOrEqual(1.1 * touched);
    const fileSize = (await stat(join(served.fx.root, BASE_PATH, '2022', t.zone, t.file))).size;
    expect(counter.bytes).toBeLessThan(fileSize / 2);
  }, 120_000);

  it('reads the index by ranges: the footer and one year row group, never the whole file', async () => {
    clearIndexCache();
    const counter = countingFetch();
    await aefProduct.estimate(request(everything()), { fetch: counter.fetch });
    const index = `${served.base}/aef_index.parquet`;
    const indexSize = (await stat(join(served.fx.root, BASE_PATH, 'aef_index.parquet'))).size;
    expect(counter.byUrl.get(index)).toBeLessThan(indexSize * 0.6);
    // Cached per base URL for the session: a second query reads no index byte.
    const again = countingFetch();
    await aefProduct.estimate(request(everything()), { fetch: again.fetch });
    expect(again.byUrl.get(index)).toBeUndefined();
  }, 120_000);

  it('estimates files, requests and bytes before loading, within 10% of the read', async () => {
    const grid = everything();
    const progress: PrecomputedProgress[] = [];
    const estimate = await aefProduct.estimate(request(grid));
    const result = await aefProduct.read(request(grid), { onProgress: (p) => progress.push(p) });
    expect(estimate.files).toBe(6);
    expect(estimate.pixels).toBe(grid.width * grid.height);
    expect(estimate.dim).toBe(64);
    expect(Math.abs(estimate.bytes - result.fetched.bytes) / result.fetched.bytes).toBeLessThan(0.1);
    expect(estimate.requests).toBeGreaterThanOrEqual(result.fetched.requests);
    const last = progress.at(-1)!;
    expect(last.stage).toBe('read');
    expect(last.done).toBe(last.total);
  }, 120_000);
});
