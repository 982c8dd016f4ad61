import { geojsonToWkb, parquetWriteBuffer } from 'hyparquet-writer';
import type { StacItem } from './tile-item.ts';

/**
 * The job's GeoParquet index, one row per tile, with the columns AlphaEarth publishes for its
 * annual tiles (fid, path, year, crs, utm_zone, the WGS84 and UTM bounds, geometry as WKB), so
 * tools that read that index read this one. GeoParquet 1.1 metadata ("geo") names the
 * geometry column, its encoding and CRS (OGC:CRS84, the default, stated anyway).
 */
export interface IndexRow {
  path: string;
  item: StacItem;
}

const epsgOf = (item: StacItem): number => Number(String(item.properties['proj:code']).replace('EPSG:', ''));

/** "32N" / "33S" from a UTM EPSG code. */
export function utmZoneName(epsg: number): string {
  return `${epsg % 100}${epsg >= 32700 ? 'S' : 'N'}`;
}

export function tileIndexParquet(rows: readonly IndexRow[]): Uint8Array {
  const shape = (r: IndexRow) => r.item.properties['proj:shape'] as [number, number];
  const transform = (r: IndexRow) => r.item.properties['proj:transform'] as number[];
  const utm = rows.map((r) => {
    const [resX, , x0, , negResY, y0] = transform(r);
    const [rows_, cols] = shape(r);
    return [x0!, y0! + negResY! * rows_, x0! + resX! * cols, y0!] as const;
  });
  const column = (name: string, data: number[]) => ({ name, data, type: 'DOUBLE' as const });
  const geo = {
    version: '1.1.0',
    primary_column: 'geometry',
    columns: {
      geometry: {
        encoding: 'WKB',
        geometry_types: ['Polygon'],
        crs: { id: { authority: 'OGC', code: 'CRS84' } },
        bbox: [
          Math.min(...rows.map((r) => r.item.bbox[0]!)),
          Math.min(...rows.map((r) => r.item.bbox[1]!)),
          Math.max(...rows.map((r) => r.item.bbox[2]!)),
          Math.max(...rows.map((r) => r.item.bbox[3]!)),
        ],
      },
    },
  };
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'fid', data: rows.map((_, i) => i), type: 'INT32' },
      { name: 'path', data: rows.map((r) => r.path), type: 'STRING' },
      {
        name: 'year',
        data: rows.map((r) => Number(String(r.item.properties.datetime ?? '').slice(0, 4)) || 0),
        type: 'INT32',
      },
      { name: 'crs', data: rows.map((r) => String(r.item.properties['proj:code'])), type: 'STRING' },
      { name: 'utm_zone', data: rows.map((r) => utmZoneName(epsgOf(r.item))), type: 'STRING' },
      column(
        'wgs84_west',
        rows.map((r) => r.item.bbox[0]!),
      ),
      column(
        'wgs84_south',
        rows.map((r) => r.item.bbox[1]!),
      ),
      column(
        'wgs84_east',
        rows.map((r) => r.item.bbox[2]!),
      ),
      column(
        'wgs84_north',
        rows.map((r) => r.item.bbox[3]!),
      ),
      column(
        'utm_west',
        utm.map((u) => u[0]),
      ),
      column(
        'utm_south',
        utm.map((u) => u[1]),
      ),
      column(
        'utm_east',
        utm.map((u) => u[2]),
      ),
      column(
        'utm_north',
        utm.map((u) => u[3]),
      ),
      {
        name: 'geometry',
        data: rows.map((r) => geojsonToWkb(r.item.geometry)),
        type: 'BYTE_ARRAY',
      },
    ],
    kvMetadata: [{ key: 'geo', value: JSON.stringify(geo) }],
  });
  return new Uint8Array(buffer);
}
