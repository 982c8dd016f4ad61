/**
 * Multi-band Sentinel-2 GeoTIFFs as GDAL exports them (one sample per band, band descriptions
 * B01..B12 in GDAL_METADATA, dataset metadata), from real pixels of the 29RKH demo pack,
 * written with the project's COG writer. GDAL (`gdal_translate`, when installed) checks that
 * they read the same there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { writeCog } from '../../src/lib/cog/index.ts';

export const PACK_29RKH = join(import.meta.dirname, '../../packs/s2-29rkh-2020-02');
export const HAS_PACK = existsSync(join(PACK_29RKH, 'B02.tif'));

/** The 13 bands of an L1C product, in the order GDAL's SENTINEL2 driver and SNAP export them. */
export const L1C_CODES = [
  'B01',
  'B02',
  'B03',
  'B04',
  'B05',
  'B06',
  'B07',
  'B08',
  'B8A',
  'B09',
  'B10',
  'B11',
  'B12',
];

/** A 42 x 42 window at 200 m: 20 m bands as stored, 10 m bands every second pixel, 60 m bands repeated. */
export const STACK_SIZE = 42;
const START_200M = 201;
const ORIGIN = { x: 199_980, y: 2_800_020 };

export const STACK_GRID = {
  epsg: 32629,
  transform: {
    originX: ORIGIN.x + START_200M * 200,
    originY: ORIGIN.y - START_200M * 200,
    resX: 200,
    resY: 200,
  },
};

/** The pack's band file for a code; B10 (no L2A asset) reuses B09's pixels. */
function packFile(code: string): string {
  return join(PACK_29RKH, `${code === 'B10' ? 'B09' : code}.tif`);
}

/** Real DN of one band on the stack's 200 m grid (nearest neighbour). */
export async function realBand(code: string): Promise<Uint16Array> {
  const bytes = readFileSync(packFile(code));
  const image = await (
    await fromArrayBuffer(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    )
  ).getImage();
  const res = image.getResolution()[0]!;
  const per = 200 / res;
  const start = Math.round(START_200M * per);
  const size = Math.round(STACK_SIZE * per);
  const [values] = (await image.readRasters({
    window: [start, start, start + size, start + size],
    width: STACK_SIZE,
    height: STACK_SIZE,
    resampleMethod: 'nearest',
  })) as unknown as Uint16Array[];
  return Uint16Array.from(values!);
}

/** A multi-band COG: one sample per band, with band descriptions and dataset metadata. */
export function writeStack(
  bands: readonly Uint16Array[],
  options: { descriptions?: readonly string[]; metadata?: Record<string, string> } = {},
): Uint8Array {
  return writeCog({
    width: STACK_SIZE,
    height: STACK_SIZE,
    bands,
    grid: STACK_GRID,
    nodata: 0,
    tileSize: 32,
    overviewResampling: 'average',
    ...(options.descriptions
      ? { bandInfo: options.descriptions.map((description) => ({ description })) }
      : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}

/** GDAL's command-line tools, when installed (Debian gdal-bin); tests that need them skip visibly. */
export const HAS_GDAL = (() => {
  try {
    execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs a GDAL tool; its stdout. */
export function gdal(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
