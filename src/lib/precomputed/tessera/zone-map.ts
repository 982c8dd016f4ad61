import type { GridSpec } from '../../geo/index.ts';
import { converter } from '../../geo/index.ts';
import { SOUTH_FALSE_NORTHING, type TesseraZone } from './metadata.ts';

/**
 * Where each pixel of a target grid reads from: nearest resampling onto TESSERA's per-zone
 * grids. A pixel belongs to the UTM zone of its centre's longitude — the zone whose group holds
 * it, since TESSERA files every 0.1° tile under the zone of its centre and zone edges fall on
 * tile edges — so an area across a zone boundary is one seamless grid: every pixel is read
 * once, from one zone, at the source pixel under its centre.
 */
export interface PixelSources {
  /** Zone number each target pixel reads from; 0 where no zone of the store covers it. */
  zone: Uint8Array;
  /** Row and column in that zone's grid; -1 outside it. */
  row: Int32Array;
  col: Int32Array;
}

/** UTM zone of a longitude (1..60). */
export function zoneOfLongitude(lon: number): number {
  return Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
}

/**
 * Zone of each pixel of one row, as runs [firstCol, zone]: longitude grows with x along a row
 * in every CRS the app handles, so the boundaries are found by bisection, not per pixel.
 */
function zoneRuns(lonAt: (col: number) => number, width: number): [number, number][] {
  const runs: [number, number][] = [];
  let col = 0;
  while (col < width) {
    const zone = zoneOfLongitude(lonAt(col));
    runs.push([col, zone]);
    if (zoneOfLongitude(lonAt(width - 1)) === zone) break;
    // Smallest column past `col` whose zone differs.
    let lo = col;
    let hi = width - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (zoneOfLongitude(lonAt(mid)) === zone) lo = mid;
      else hi = mid;
    }
    col = hi;
  }
  return runs;
}

/** Maps every target pixel onto the zone grids in `zones` (absent zones read as nodata). */
export function mapToZones(grid: GridSpec, zones: ReadonlyMap<number, TesseraZone>): PixelSources {
  const { width, height, epsg, transform: t } = grid;
  const pixels = width * height;
  const out: PixelSources = {
    zone: new Uint8Array(pixels),
    row: new Int32Array(pixels).fill(-1),
    col: new Int32Array(pixels).fill(-1),
  };
  const toWgs = converter(epsg, 4326);
  const targetZone = epsg % 100;
  const targetIsUtm = (epsg - targetZone === 32600 || epsg - targetZone === 32700) && targetZone >= 1;
  for (let r = 0; r < height; r++) {
    const y = t.originY - (r + 0.5) * t.resY;
    const xAt = (c: number) => t.originX + (c + 0.5) * t.resX;
    const runs = zoneRuns((c) => toWgs([xAt(c), y])[0], width);
    for (let i = 0; i < runs.length; i++) {
      const [start, zoneNumber] = runs[i]!;
      const end = i + 1 < runs.length ? runs[i + 1]![0] : width;
      const zone = zones.get(zoneNumber);
      if (!zone) continue;
      const zt = zone.transform;
      // The target's own UTM zone maps affinely (a southern code only shifts the northings).
      const affine = targetIsUtm && targetZone === zoneNumber;
      const shift = affine
        ? (zone.epsg >= 32700 ? SOUTH_FALSE_NORTHING : 0) - (epsg >= 32700 ? SOUTH_FALSE_NORTHING : 0)
        : 0;
      const toZone = affine ? undefined : converter(epsg, zone.epsg);
      for (let c = start; c < end; c++) {
        let zx = xAt(c);
        let zy = y + shift;
        if (toZone) [zx, zy] = toZone([zx, y]);
        const zc = Math.floor((zx - zt.originX) / zt.resX);
        const zr = Math.floor((zt.originY - zy) / zt.resY);
        if (zc < 0 || zr < 0 || zc >= zone.width || zr >= zone.height) continue;
        const p = r * width + c;
        out.zone[p] = zoneNumber;
        out.row[p] = zr;
        out.col[p] = zc;
      }
    }
  }
  return out;
}
