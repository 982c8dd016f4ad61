import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTiff } from '../../src/lib/cog/open-tiff.ts';
import { readBandOnGrid } from '../../src/lib/cog/read-band.ts';
import { createReadContext } from '../../src/lib/cog/read-context.ts';
import { writeCog } from '../../src/lib/cog/writer/cog-writer.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { CogServer } from './cog-server.ts';
import { firstIfdTiles } from './tiff-patch.ts';

const SIZE = 1024;
const TILE = 256;
const GRID = { epsg: 32632, transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 } };

/** Noisy UInt16 reflectance-like values (compresses like real data, not to nothing). */
function band(seed: number): Uint16Array {
  const data = new Uint16Array(SIZE * SIZE);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = 1000 + ((i % SIZE) >> 2) + (s >>> 24);
  }
  return data;
}

const server = new CogServer();
let cog: Uint8Array;
const pixels = band(7);

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  cog = writeCog({
    width: SIZE,
    height: SIZE,
    data: pixels,
    grid: GRID,
    tileSize: TILE,
    nodata: 0,
    overviewResampling: 'average',
  });
  server.files.set('/b.tif', { bytes: cog, behaviour: 'range' });
  server.files.set('/whole.tif', { bytes: cog, behaviour: 'ignore-range' });
  server.files.set('/cut.tif', { bytes: cog.slice(0, Math.floor(cog.length * 0.8)), behaviour: 'range' });
  server.files.set('/hang.tif', { bytes: cog, behaviour: 'hang' });
  server.files.set('/stall.tif', { bytes: cog, behaviour: 'stall' });
  server.files.set('/reset.tif', { bytes: cog, behaviour: 'reset' });
  server.files.set('/cut-body.tif', { bytes: cog, behaviour: 'cut-body' });
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

/** A 10 m grid over tile columns 2..3 and rows 1..3 (cut inside the tiles). */
const target: GridSpec = {
  width: 400,
  height: 500,
  epsg: 32632,
  transform: { originX: 600_000 + 600 * 10, originY: 5_200_000 - 300 * 10, resX: 10, resY: 10 },
};

describe('RangeSource: COG windows over HTTP range requests', () => {
  it('fetches only the intersecting tiles, merged per tile row, and counts bytes and requests', async () => {
    const ctx = createReadContext();
    const tiff = await openTiff({ kind: 'url', url: `${server.url}/b.tif` }, undefined, ctx);
    const values = await readBandOnGrid(tiff, target, 'b.tif', { method: 'nearest' });
    // Exact pixels: the target pixel (r, c) is source pixel (300 + r, 600 + c).
    for (const [r, c] of [
      [0, 0],
      [499, 399],
      [123, 321],
    ] as const)
      expect(values[r * 400 + c]).toBe(pixels[(300 + r) * SIZE + 600 + c]);
    const { offsets, counts } = firstIfdTiles(cog);
    const perRow = SIZE / TILE;
    let tileBytes = 0;
    let tiles = 0;
    for (let ty = Math.floor(300 / TILE); ty <= Math.floor(799 / TILE); ty++)
      for (let tx = Math.floor(600 / TILE); tx <= Math.floor(999 / TILE); tx++) {
        tileBytes += counts[ty * perRow + tx]!;
        tiles++;
      }
    const header = offsets.reduce((a, b) => Math.min(a, b), Infinity);
    expect(ctx.stats.bytes).toBeGreaterThanOrEqual(tileBytes);
    // Header (IFDs + tile arrays, one request) plus exactly the tiles' bytes.
    expect(ctx.stats.bytes).toBeLessThanOrEqual(tileBytes + Math.max(header, ctx.headerBytes));
    expect(ctx.stats.requests).toBe(server.log.length);
    expect(ctx.stats.requests).toBeLessThan(tiles);
    expect(server.log.every((l) => l.range?.startsWith('bytes='))).toBe(true);
  });

  it('keeps at most 6 requests in flight per origin', async () => {
    server.delayMs = 30;
    try {
      const ctx = createReadContext();
      const files = Array.from({ length: 4 }, (_, i) => `/b${i}.tif`);
      for (const f of files) server.files.set(f, { bytes: cog, behaviour: 'range' });
      const tiffs = await Promise.all(
        files.map((f) => openTiff({ kind: 'url', url: `${server.url}${f}` }, undefined, ctx)),
      );
      // Scattered single tiles: nothing to merge, many requests at once.
      await Promise.all(
        tiffs.flatMap((tiff) =>
          [0, 3, 6].map(async (k) => {
            const image = await tiff.getImage(0);
            return image.readRasters({ window: [k * TILE, k * TILE, k * TILE + 10, k * TILE + 10] });
          }),
        ),
      );
      expect(server.log.length).toBeGreaterThan(6);
      expect(server.maxInFlight).toBeLessThanOrEqual(6);
      expect(ctx.limiter.inFlight(server.url)).toBe(0);
    } finally {
      server.delayMs = 0;
    }
  });

  it('refuses a server that ignores Range for a file over the limit, and uses a small one whole', async () => {
    const refused = await failure(
      openTiff(
        { kind: 'url', url: `${server.url}/whole.tif` },
        undefined,
        createReadContext(undefined, { maxFullFileBytes: 100_000 }),
      ),
    );
    expect(refused.code).toBe('unsupported');
    expect(refused.message).toMatch(/ignores HTTP Range requests/);
    const ctx = createReadContext(undefined, { maxFullFileBytes: cog.length + 1 });
    const tiff = await openTiff({ kind: 'url', url: `${server.url}/whole.tif` }, undefined, ctx);
    const values = await readBandOnGrid(tiff, target, 'whole.tif', { method: 'nearest' });
    expect(values[0]).toBe(pixels[300 * SIZE + 600]);
    expect(ctx.stats.requests).toBe(1);
  });

  it('a truncated file -> a bad-input error that says so', async () => {
    const ctx = createReadContext();
    const tiff = await openTiff({ kind: 'url', url: `${server.url}/cut.tif` }, undefined, ctx);
    const whole: GridSpec = { ...target, width: SIZE, height: SIZE, transform: GRID.transform };
    const error = await failure(readBandOnGrid(tiff, whole, 'cut.tif', { method: 'nearest' }));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/cut\.tif is truncated/);
  });

  it('a server that stalls mid-answer -> timeout, not a hang', async () => {
    const ctx = createReadContext(undefined, { timeoutMs: 300 });
    const error = await failure(openTiff({ kind: 'url', url: `${server.url}/stall.tif` }, undefined, ctx));
    expect(`${error.code}: ${error.message}`).toMatch(/^timeout: .*stopped sending data/);
  });

  it('a reset connection and a body cut mid-way are retried like a 503', async () => {
    for (const name of ['reset.tif', 'cut-body.tif']) {
      server.reset();
      const ctx = createReadContext(undefined, { retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } });
      const tiff = await openTiff({ kind: 'url', url: `${server.url}/${name}` }, undefined, ctx);
      const values = await readBandOnGrid(tiff, target, name, { method: 'nearest' });
      expect(values[0], name).toBe(pixels[300 * SIZE + 600]);
      // The header request failed twice before it was answered.
      expect(server.log.filter((r) => r.range?.startsWith('bytes=0-')).length, name).toBe(3);
    }
  });

  it('a connection reset on every attempt -> a network error after the retries', async () => {
    server.failures = 100;
    try {
      const ctx = createReadContext(undefined, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      const error = await failure(
        openTiff({ kind: 'url', url: `${server.url}/cut-body.tif` }, undefined, ctx),
      );
      expect(error.code).toBe('network');
      expect(error.message).toContain('cut-body.tif');
      expect(server.log.length).toBe(3);
    } finally {
      server.failures = 2;
    }
  });

  it('a 404 -> an http error naming the file', async () => {
    const error = await failure(openTiff({ kind: 'url', url: `${server.url}/B05.tif` }));
    expect(error.code).toBe('http');
    expect(error.message).toContain('404');
    expect(error.message).toContain('B05.tif');
  });

  it('cancelling a read ends its requests (the server sees them closed) and rejects as aborted', async () => {
    const controller = new AbortController();
    const pending = openTiff({ kind: 'url', url: `${server.url}/hang.tif` }, controller.signal);
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    while (server.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    expect(server.closedEarly).toBe(1);
  });
});
