import { AppError } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { transformBBox } from '../geo/index.ts';

/**
 * A job's tiles: squares of `tileKm` on the UTM grid of their zone, their corners on whole
 * multiples of the tile size (so the tiles of one zone share edges exactly, and every tile
 * edge lies on the pixel lattice of any resolution that divides the tile size, Sentinel-2's
 * 10 m lattice included). An area across zone meridians (or the equator) is cut there and each
 * part is tiled on its own zone's grid (EPSG:326NN north, 327NN south), as Sentinel-2's and
 * AlphaEarth's zone tiles are: tiles of neighbouring zones overlap by up to a tile.
 */
export interface JobTile {
  /** `<epsg>_<col>_<row>`: col = west edge / tile size, row = north edge / tile size (metres). */
  id: string;
  epsg: number;
  /** The tile's own pixels (without halo) on the job's resolution. */
  grid: GridSpec;
  /** WGS84 [w, s, e, n] around the tile (edges densified). */
  bboxWgs84: BBox;
}

export interface TilingRequest {
  /** WGS84 [w, s, e, n]. */
  bbox: BBox;
  tileKm: number;
  resolutionM: number;
  /** One UTM zone's grid for the whole area (EPSG:326NN/327NN) instead of each part's own zone. */
  epsg?: number | undefined;
}

/** Whole tiles of the largest size this planner writes (a COG's pixel side stays modest). */
const MAX_TILE_PIXELS = 4096;

/** Checks that `resolutionM` divides the tile side into whole pixels of a sane count. */
export function tilePixels(tileKm: number, resolutionM: number): number {
  const side = (tileKm * 1000) / resolutionM;
  if (!(tileKm > 0) || !(resolutionM > 0) || Math.abs(side - Math.round(side)) > 1e-9)
    throw new AppError(
      'bad-input',
      `A ${tileKm} km tile is not a whole number of ${resolutionM} m pixels; choose a tile size that is a multiple of the resolution.`,
    );
  const px = Math.round(side);
  if (px < 1 || px > MAX_TILE_PIXELS)
    throw new AppError(
      'bad-input',
      `A ${tileKm} km tile at ${resolutionM} m is ${px} pixels a side; tiles of 1 to ${MAX_TILE_PIXELS} pixels are allowed.`,
    );
  return px;
}

/** The parts of a WGS84 box in each UTM zone and hemisphere, with that zone's EPSG code. */
export function zoneParts(bbox: BBox): { epsg: number; part: BBox }[] {
  const [w, s, e, n] = bbox;
  const parts: { epsg: number; part: BBox }[] = [];
  const first = Math.min(60, Math.floor((w + 180) / 6) + 1);
  const last = Math.min(60, Math.floor((e + 180) / 6 - 1e-12) + 1);
  for (let zone = first; zone <= last; zone++) {
    const west = Math.max(w, -180 + (zone - 1) * 6);
    const east = Math.min(e, -180 + zone * 6);
    if (!(east > west)) continue;
    if (n > 0) parts.push({ epsg: 32600 + zone, part: [west, Math.max(s, 0), east, n] });
    if (s < 0) parts.push({ epsg: 32700 + zone, part: [west, s, east, Math.min(n, 0)] });
  }
  return parts;
}

/**
 * Every tile of the area's box in each zone's CRS (the box `embed` reads for an area: the
 * area's edges projected and bounded), zone by zone, north to south then west to east.
 */
export function planTiles(request: TilingRequest): JobTile[] {
  const { bbox, tileKm, resolutionM } = request;
  const px = tilePixels(tileKm, resolutionM);
  const size = px * resolutionM;
  const tiles: JobTile[] = [];
  if (request.epsg !== undefined && !/^32[67](0[1-9]|[1-5]\d|60)$/.test(String(request.epsg)))
    throw new AppError(
      'bad-input',
      `EPSG:${request.epsg} is not a UTM zone (EPSG:32601-32660, 32701-32760).`,
    );
  const parts = request.epsg === undefined ? zoneParts(bbox) : [{ epsg: request.epsg, part: bbox }];
  for (const { epsg, part } of parts) {
    const [minX, minY, maxX, maxY] = transformBBox(part, 4326, epsg);
    const col0 = Math.floor(minX / size);
    const col1 = Math.ceil(maxX / size);
    const row0 = Math.ceil(maxY / size);
    const row1 = Math.floor(minY / size);
    for (let row = row0; row > row1; row--) {
      for (let col = col0; col < col1; col++) {
        const grid: GridSpec = {
          width: px,
          height: px,
          epsg,
          transform: { originX: col * size, originY: row * size, resX: resolutionM, resY: resolutionM },
        };
        const bboxWgs84 = transformBBox(
          [col * size, (row - 1) * size, (col + 1) * size, row * size],
          epsg,
          4326,
        );
        tiles.push({ id: `${epsg}_${col}_${row}`, epsg, grid, bboxWgs84 });
      }
    }
  }
  return tiles;
}

/** The tile's grid grown by `halo` pixels on every side (the context a patch model needs). */
export function withHalo(grid: GridSpec, halo: number): GridSpec {
  if (halo === 0) return grid;
  const t = grid.transform;
  return {
    ...grid,
    width: grid.width + 2 * halo,
    height: grid.height + 2 * halo,
    transform: { ...t, originX: t.originX - halo * t.resX, originY: t.originY + halo * t.resY },
  };
}
