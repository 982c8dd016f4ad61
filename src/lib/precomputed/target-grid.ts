import { AppError } from '../errors.ts';
import { transformBBox, utmEpsgFor } from '../geo/crs.ts';
import type { BBox, GridSpec } from '../geo/geotransform.ts';

/**
 * The grid a precomputed product is read onto when nothing else gives one (no scene loaded,
 * no native grid): the UTM zone of the area's centre, pixels of `resolutionM` metres whose
 * edges fall on multiples of it (as AlphaEarth's and TESSERA's 10 m grids do), covering the
 * WGS84 area. An area across zones still lands on this one grid; readers reproject the rest.
 */
export function targetGridFor(area: BBox, resolutionM = 10): GridSpec {
  const [west, south, east, north] = area;
  if (!(east > west && north > south) || [west, south, east, north].some((v) => !Number.isFinite(v)))
    throw new AppError('bad-input', 'Choose an area first (west < east, south < north).');
  if (!(resolutionM > 0))
    throw new AppError('bad-input', `A resolution of ${resolutionM} m is not possible.`);
  const epsg = utmEpsgFor((west + east) / 2, (south + north) / 2);
  const [minX, minY, maxX, maxY] = transformBBox(area, 4326, epsg);
  const x0 = Math.floor(minX / resolutionM) * resolutionM;
  const y1 = Math.ceil(maxY / resolutionM) * resolutionM;
  const width = Math.max(1, Math.ceil((maxX - x0) / resolutionM));
  const height = Math.max(1, Math.ceil((y1 - minY) / resolutionM));
  return {
    width,
    height,
    epsg,
    transform: { originX: x0, originY: y1, resX: resolutionM, resY: resolutionM },
  };
}
