/** Top-k places as exportable records: pixel centres in WGS84 plus their score and rank. */
import type { Place } from '../analysis/index.ts';
import { AppError } from '../errors.ts';
import { converter, type GridSpec, pixelToCrs } from '../geo/index.ts';

export interface PlaceRecord {
  /** 1 = most similar. */
  rank: number;
  lon: number;
  lat: number;
  score: number;
  col: number;
  row: number;
}

// 7 decimals of a degree is about 1 cm, well inside a 10 m pixel.
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** Records in the given (best-first) order, located at the centre of their pixel. */
export function placeRecords(places: readonly Place[], grid: GridSpec): PlaceRecord[] {
  const toWgs = converter(grid.epsg, 4326);
  return places.map((place, i) => {
    const { col, row, score } = place;
    if (!Number.isInteger(col) || !Number.isInteger(row) || col < 0 || row < 0) {
      throw new AppError('bad-input', `Place ${i + 1} has no valid pixel position (${col}, ${row}).`);
    }
    if (col >= grid.width || row >= grid.height) {
      throw new AppError(
        'bad-input',
        `Place ${i + 1} at pixel (${col}, ${row}) is outside the ${grid.width} x ${grid.height} scene.`,
      );
    }
    const [lon, lat] = toWgs(pixelToCrs(grid.transform, col + 0.5, row + 0.5));
    return { rank: i + 1, lon: round7(lon), lat: round7(lat), score, col, row };
  });
}
