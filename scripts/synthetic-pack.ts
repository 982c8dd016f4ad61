/**
 * Synthetic Sentinel-2 L2A packs for tests and benchmarks: every band at its native
 * resolution (10/20/60 m) plus SCL, written with the project's COG writer, laid out like
 * `npm run pack:demo` output. Pixel values are a deterministic function of the CRS position
 * and band (so mosaics and reprojection can be checked) plus noise that makes tiles
 * compress like real imagery.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GridSpec } from '../src/lib/geo/index.ts';
import { buildPack, type PackBand, type PackResult, s2Asset, s2BandByKey } from '../src/lib/pack/index.ts';
import { type BandKey, NATIVE_RESOLUTION_M } from '../src/lib/stac/index.ts';

export interface SyntheticItem {
  id: string;
  epsg: number;
  /** Upper-left corner in the CRS, metres. */
  originX: number;
  originY: number;
  /** Extent in metres (a full MGRS tile is 109 800 m). */
  sizeM: number;
  datetime: string;
  cloudCover: number;
  bands: BandKey[];
  /** raster:bands offset: -0.1 for processing baseline >= 04.00, 0 before. */
  offset?: number;
  platform?: string;
  tile?: string;
  /** SCL class everywhere (4 = vegetation) except a cloud (9) square in the top-left tenth. */
  sclClass?: number;
  tileSize?: number;
  /** Pixel size divisor for quicker fixtures (2 = every band at twice its native size). */
  coarsen?: number;
}

/** Largest noise added to syntheticDn: 8 bits, so tiles compress about as much as real L2A tiles. */
export const NOISE_MAX = 255;

/** The stored DN of a band at CRS (x, y): smooth in space, distinct per band, plus noise. */
export function syntheticDn(band: BandKey, x: number, y: number, noise = 0): number {
  const k = band.length * 97 + band.charCodeAt(0);
  return 1000 + (Math.floor(x / 10) % 1000) + (Math.floor(y / 10) % 500) + (k % 300) + noise;
}

function bandData(item: SyntheticItem, band: BandKey, grid: GridSpec): Uint16Array | Uint8Array {
  const { width, height } = grid;
  const t = grid.transform;
  if (band === 'scl') {
    const scl = new Uint8Array(width * height).fill(item.sclClass ?? 4);
    for (let r = 0; r < height / 10; r++) scl.fill(9, r * width, r * width + Math.floor(width / 10));
    return scl;
  }
  const out = new Uint16Array(width * height);
  let s = item.id.length * 7919 + band.length;
  for (let r = 0; r < height; r++) {
    const y = t.originY - (r + 0.5) * t.resY;
    for (let c = 0; c < width; c++) {
      // Math.imul: a float multiply would lose the low bits and cycle within a few values.
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      out[r * width + c] = syntheticDn(band, t.originX + (c + 0.5) * t.resX, y, s >>> 24);
    }
  }
  return out;
}

export async function buildSyntheticPack(outDir: string, items: SyntheticItem[]): Promise<PackResult> {
  const write = async (file: string, bytes: Uint8Array) => {
    const target = path.join(outDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  };
  return buildPack(
    items.map((item) => {
      const gridOf = (band: BandKey): GridSpec => {
        const res = NATIVE_RESOLUTION_M[band] * (item.coarsen ?? 1);
        const n = Math.round(item.sizeM / res);
        return {
          width: n,
          height: n,
          epsg: item.epsg,
          transform: { originX: item.originX, originY: item.originY, resX: res, resY: res },
        };
      };
      async function* bands(): AsyncGenerator<PackBand> {
        for (const key of item.bands) {
          const grid = gridOf(key);
          const isScl = key === 'scl';
          yield {
            key,
            grid,
            data: bandData(item, key, grid),
            nodata: 0,
            overviewResampling: isScl ? 'nearest' : 'average',
            asset: s2Asset(key, {
              href: `${item.id}/${s2BandByKey(key)?.band ?? key}.tif`,
              grid,
              dataType: isScl ? 'uint8' : 'uint16',
              nodata: 0,
              ...(isScl ? {} : { scale: 0.0001, offset: item.offset ?? -0.1 }),
              gsd: NATIVE_RESOLUTION_M[key],
            }),
          };
        }
      }
      return {
        item: {
          id: item.id,
          footprint: gridOf('red'),
          time: { datetime: item.datetime },
          cloudCover: item.cloudCover,
          platform: item.platform ?? 'sentinel-2a',
          constellation: 'sentinel-2',
          processingBaseline: (item.offset ?? -0.1) === 0 ? '03.00' : '05.09',
          collection: 'sentinel-2-c1-l2a',
          properties: item.tile ? { 's2:mgrs_tile': item.tile, 'grid:code': `MGRS-${item.tile}` } : {},
        },
        bands: bands(),
      };
    }),
    write,
  );
}
