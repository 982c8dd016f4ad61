import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridSpec } from '../../../src/lib/geo/index.ts';
import { readTessera } from '../../../src/lib/precomputed/tessera/index.ts';
import {
  cachedTesseraFixture,
  DEFAULT_ZONES,
  depthInnerChunk,
  type TesseraFixture,
  writeTesseraFixture,
} from './tessera-fixture.ts';
import { serveStore } from './tessera-server.ts';

/**
 * v2 stores publish the first 4 and 16 dimensions (Matryoshka prefixes) as arrays of their own,
 * `embeddings_d4` and `embeddings_d16`, with larger inner chunks, listed in the root's
 * `geoemb:depths` (geotessera docs/specs/zarr-matryoshka-depths.md). They share `scales`.
 */

let v2: TesseraFixture;
let dir: string;
let baseUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-v2-'));
  v2 = await writeTesseraFixture(dir, { zones: [DEFAULT_ZONES[0]!], years: [2025], depths: [4, 16] });
  ({ baseUrl, close } = await serveStore(dir));
}, 300_000);
afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

function window31(fixture: TesseraFixture): GridSpec {
  const t = fixture.zone(31).transform;
  // Rows 50..95, cols 0..99 (west of 6°E): no lake, no missing chunk.
  return {
    width: 100,
    height: 46,
    epsg: 32631,
    transform: { originX: t.originX, originY: t.originY - 500, resX: 10, resY: 10 },
  };
}

describe('TESSERA v2 depth arrays', () => {
  it('sizes inner chunks as geotessera does (D x s² <= 128 KiB)', () => {
    expect(depthInnerChunk(4, 4096)).toBe(128);
    expect(depthInnerChunk(16, 4096)).toBe(64);
    expect(depthInnerChunk(128, 4096)).toBe(32);
  });

  it.each([4, 16, 128])('reads the first %i dimensions, each int8 x the shared scale', async (dims) => {
    const grid = window31(v2);
    const result = await readTessera({ family: 'tessera', baseUrl, year: 2025, grid }, { dimensions: dims });
    const { data, valid, dim } = result.embeddings;
    expect(dim).toBe(dims);
    expect(result.bandNames).toHaveLength(dims);
    expect(result.label).toBe(dims === 128 ? 'TESSERA 2025' : `TESSERA 2025 (${dims} dimensions)`);
    expect(result.sources[0]).toMatch(
      dims === 128 ? /\/utm31\/embeddings\/c\// : new RegExp(`/utm31/embeddings_d${dims}/c/`),
    );
    const wrong: string[] = [];
    for (let r = 0; r < grid.height; r++) {
      for (let c = 0; c < grid.width; c++) {
        const p = r * grid.width + c;
        const truth = v2.truth(31, 0, 50 + r, c);
        const scale = Math.fround(truth.scale);
        if (valid[p] !== 1) wrong.push(`${r},${c} invalid`);
        for (let b = 0; b < dims; b++)
          if (data[p * dims + b] !== Math.fround(truth.q[b]! * scale)) wrong.push(`${r},${c} band ${b}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('fetches far fewer bytes for a prefix', async () => {
    const grid = window31(v2);
    const four = await readTessera({ family: 'tessera', baseUrl, year: 2025, grid }, { dimensions: 4 });
    const all = await readTessera({ family: 'tessera', baseUrl, year: 2025, grid }, { dimensions: 128 });
    expect(four.fetched.bytes).toBeLessThan(all.fetched.bytes / 4);
  });

  it('names the depths a store has when asked for another', async () => {
    await expect(
      readTessera({ family: 'tessera', baseUrl, year: 2025, grid: window31(v2) }, { dimensions: 8 }),
    ).rejects.toThrow('This TESSERA store has embeddings of 4, 16, 128 dimensions, not 8.');
    const v1 = await cachedTesseraFixture();
    const served = await serveStore(v1.dir);
    try {
      await expect(
        readTessera(
          { family: 'tessera', baseUrl: served.baseUrl, year: 2024, grid: window31(v1) },
          { dimensions: 4 },
        ),
      ).rejects.toThrow(
        'This TESSERA store has embeddings of 128 dimensions, not 4 (prefixes of 4 and 16 come with the v2 stores).',
      );
    } finally {
      await served.close();
    }
  });
});
