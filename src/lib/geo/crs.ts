import proj4 from 'proj4';
import { AppError } from '../errors.ts';
import { type BBox, type GridSpec, pixelToCrs } from './geotransform.ts';

/**
 * The CRSs the app handles: WGS84 (4326), Web Mercator (3857) and every UTM zone on
 * WGS84 (326xx north, 327xx south), which is every CRS Sentinel-2 L2A products use.
 * Definitions are built on demand; nothing is registered with proj4 at import time.
 */
export function proj4Definition(epsg: number): string {
  if (epsg === 4326) return '+proj=longlat +datum=WGS84 +no_defs';
  if (epsg === 3857) {
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  }
  const zone = epsg % 100;
  if (zone >= 1 && zone <= 60 && (epsg - zone === 32600 || epsg - zone === 32700)) {
    const south = epsg - zone === 32700 ? ' +south' : '';
    return `+proj=utm +zone=${zone}${south} +datum=WGS84 +units=m +no_defs`;
  }
  throw new AppError(
    'unsupported',
    `EPSG:${epsg} is not supported: the app handles WGS84 (EPSG:4326), Web Mercator (EPSG:3857) and UTM on WGS84 (EPSG:326xx/327xx).`,
  );
}

export function isSupportedEpsg(epsg: number): boolean {
  try {
    proj4Definition(epsg);
    return true;
  } catch {
    return false;
  }
}

type Converter = (point: [number, number]) => [number, number];
const converters = new Map<string, Converter>();

/** A cached point converter from one EPSG code to another. */
export function converter(fromEpsg: number, toEpsg: number): Converter {
  const key = `${fromEpsg}>${toEpsg}`;
  let convert = converters.get(key);
  if (!convert) {
    if (fromEpsg === toEpsg) {
      convert = (p) => [p[0], p[1]];
    } else {
      const c = proj4(proj4Definition(fromEpsg), proj4Definition(toEpsg));
      convert = (p) => {
        const [x, y] = c.forward(p);
        return [x as number, y as number];
      };
    }
    converters.set(key, convert);
  }
  return convert;
}

/** UTM zone EPSG code (WGS84) that contains a longitude/latitude. */
export function utmEpsgFor(lon: number, lat: number): number {
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  return (lat >= 0 ? 32600 : 32700) + zone;
}

/** Corners of a grid in WGS84, clockwise from top-left: [lon, lat][4]. */
export function gridCornersWgs84(
  grid: GridSpec,
): [[number, number], [number, number], [number, number], [number, number]] {
  const toWgs = converter(grid.epsg, 4326);
  const t = grid.transform;
  return [
    toWgs(pixelToCrs(t, 0, 0)),
    toWgs(pixelToCrs(t, grid.width, 0)),
    toWgs(pixelToCrs(t, grid.width, grid.height)),
    toWgs(pixelToCrs(t, 0, grid.height)),
  ];
}

/**
 * Bounding box in `toEpsg` of a bbox given in `fromEpsg`, densified along the edges because
 * straight lines in one CRS are curves in another.
 */
export function transformBBox(bbox: BBox, fromEpsg: number, toEpsg: number, steps = 16): BBox {
  const convert = converter(fromEpsg, toEpsg);
  const [minX, minY, maxX, maxY] = bbox;
  let out: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i <= steps; i++) {
    const f = i / steps;
    const x = minX + (maxX - minX) * f;
    const y = minY + (maxY - minY) * f;
    for (const p of [
      [x, minY],
      [x, maxY],
      [minX, y],
      [maxX, y],
    ] as [number, number][]) {
      const [px, py] = convert(p);
      out = [Math.min(out[0], px), Math.min(out[1], py), Math.max(out[2], px), Math.max(out[3], py)];
    }
  }
  return out;
}
