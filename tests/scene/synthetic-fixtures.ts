import type { SyntheticItem } from '../../scripts/synthetic-pack.ts';
import { converter } from '../../src/lib/geo/index.ts';
import type { BandKey } from '../../src/lib/stac/index.ts';

export const FIXTURE_BANDS: BandKey[] = ['red', 'green', 'blue', 'nir', 'swir16', 'scl'];

/** Upper-left corner (snapped to 60 m) of a tile whose corner is at lon/lat in `epsg`. */
function corner(epsg: number, lon: number, lat: number): { originX: number; originY: number } {
  const [x, y] = converter(4326, epsg)([lon, lat]);
  return { originX: Math.round(x / 60) * 60, originY: Math.round(y / 60) * 60 };
}

/** Two tiles of one overpass either side of the UTM 32/33 boundary (12 deg E), and a later one. */
export function fixtureItems(): SyntheticItem[] {
  // 2880 m: one 512 px tile per band, so every read decodes little.
  const base = { sizeM: 2880, bands: FIXTURE_BANDS, coarsen: 1 };
  return [
    {
      ...base,
      id: 'S2A_32TQS_20220610',
      epsg: 32632,
      ...corner(32632, 11.94, 46.6),
      datetime: '2022-06-10T10:00:00Z',
      cloudCover: 5,
      tile: '32TQS',
    },
    {
      ...base,
      id: 'S2A_33TUM_20220610',
      epsg: 32633,
      ...corner(32633, 11.975, 46.6),
      datetime: '2022-06-10T10:00:00Z',
      cloudCover: 8,
      tile: '33TUM',
    },
    {
      ...base,
      id: 'S2B_32TQS_20220705',
      epsg: 32632,
      ...corner(32632, 11.94, 46.6),
      datetime: '2022-07-05T10:00:00Z',
      cloudCover: 1,
      tile: '32TQS',
      offset: 0,
    },
  ];
}
