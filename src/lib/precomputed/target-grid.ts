import { AppError } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { transformBBox, utmEpsgFor } from '../geo/index.ts';

/**
 * The grid a precomputed product is delivered on for a WGS84 area: the UTM zone of the area's
 * centre, pixels of `resM` metres whose edges sit on multiples of `resM` (so at the products'
 * native 10 m they coincide with the source pixels and nearest resampling copies them exactly),
 * snapped outwards to cover the whole area.
 */
export function targetGridFor(bbox: BBox, resM = 10): GridSpec {
  const [west, south, east, north] = bbox;
  if (!(resM > 0) || !Number.isFinite(resM))
    throw new AppError('bad-input', `The resolution must be a positive number of metres, got ${resM}.`);
  if (!(west < east && south < north))
    throw new AppError('bad-input', 'Choose an area first: west must be below east and south below north.');
  const epsg = utmEpsgFor((west + east) / 2, (south + north) / 2);
  const [minX, minY, maxX, maxY] = transformBBox(bbox, 4326, epsg);
  const x0 = Math.floor(minX / resM) * resM;
  const y1 = Math.ceil(maxY / resM) * resM;
  const width = Math.max(1, Math.ceil((maxX - x0) / resM - 1e-9));
  const height = Math.max(1, Math.ceil((y1 - minY) / resM - 1e-9));
  return { width, height, epsg, transform: { originX: x0, originY: y1, resX: resM, resY: resM } };
}
