import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src/lib/cog/open-tiff.ts';
import { readBandOnGrid } from '../../src/lib/cog/read-band.ts';
import { createReadContext } from '../../src/lib/cog/read-context.ts';
import { writeCog } from '../../src/lib/cog/writer/cog-writer.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { CogServer } from './cog-server.ts';
import { firstIfdTiles, patchProjectedEpsg, patchTag, patchTileByteCount } from './tiff-patch.ts';

const SIZE = 512;
const GRID = { epsg: 32632, transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 } };
const target: GridSpec = { width: 100, height: 100, epsg: 32632, transform: { ...GRID.transform } };
const server = new CogServer();
let cog: Uint8Array;

async function readFault(name: string, bytes: Uint8Array): Promise<AppError> {
  server.files.set(`/${name}`, { bytes, behaviour: 'range' });
  try {
    const tiff = await openTiff(
      { kind: 'url', url: `${server.url}/${name}` },
      undefined,
      createReadContext(),
    );
    await readBandOnGrid(tiff, target, name, { method: 'nearest' });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${name}: expected a failure`);
}

beforeAll(async () => {
  const data = new Uint16Array(SIZE * SIZE).map((_, i) => 1000 + (i % 977));
  cog = writeCog({
    width: SIZE,
    height: SIZE,
    data,
    grid: GRID,
    tileSize: 256,
    overviewResampling: 'average',
  });
  await server.start();
});
afterAll(() => server.stop());

describe('COG faults end in clear AppErrors, before any large allocation', () => {
  it('a header claiming 10^6 x 10^6 pixels', async () => {
    const e = await readFault(
      'huge.tif',
      patchTag(patchTag(cog, 256, 1_000_000, true), 257, 1_000_000, true),
    );
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/claims 1000000 x 1000000 pixels/);
  });

  it('a tile whose byte count says 4 GB', async () => {
    const e = await readFault('4gb.tif', patchTileByteCount(cog, 0, 0xffff_fff0));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/4,294,967,280 bytes/);
  });

  it('65535 x 65535 pixel tiles', async () => {
    const e = await readFault('bigtile.tif', patchTag(patchTag(cog, 322, 65535), 323, 65535));
    expect(e.code).toBe('too-large');
  });

  it('unsupported compression (JPEG 2000)', async () => {
    const e = await readFault('jp2.tif', patchTag(cog, 259, 34712));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/compression 34712/);
  });

  it('unsupported sample format (12-bit)', async () => {
    const e = await readFault('12bit.tif', patchTag(cog, 258, 12));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/12-bit/);
  });

  it('a corrupt tile (bad deflate stream)', async () => {
    const { offsets } = firstIfdTiles(cog);
    const bad = cog.slice();
    bad.fill(0xab, offsets[0]!, offsets[0]! + 64);
    const e = await readFault('corrupt.tif', bad);
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain('corrupt.tif');
  });

  it('a CRS the app cannot handle names its EPSG code', async () => {
    const e = await readFault('swiss.tif', patchProjectedEpsg(cog, 32632, 2056));
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('EPSG:2056');
  });
});
