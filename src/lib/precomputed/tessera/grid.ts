import { AppError } from '../../errors.ts';
import type { BBox, GridSpec } from '../../geo/index.ts';
import { transformBBox, utmEpsgFor } from '../../geo/index.ts';

/** Largest grid side offered (pixels); past it the caller should choose a coarser resolution. */
const MAX_SIDE = 20_000;

/**
 * A grid over a WGS84 box [west, south, east, north] on TESSERA's own pixels: the UTM zone of
 * the box's centre (EPSG:326NN north of the equator, 327NN south), `resolutionM` pixels whose
 * edges fall on multiples of it. TESSERA's zone grids lie on multiples of 10 m (geotessera
 * snaps their origins to the pixel size; the southern false northing is a multiple too), so a
 * 10 m grid reads every stored pixel exactly once, unresampled, inside the centre's zone.
 */
export function tesseraGridFor(bbox: BBox, resolutionM = 10): GridSpec {
  const [west, south, east, north] = bbox;
  if (
    ![west, south, east, north, resolutionM].every(Number.isFinite) ||
    west >= east ||
    south >= north ||
    south < -90 ||
    north > 90 ||
    !(resolutionM > 0)
  ) {
    throw new AppError(
      'bad-input',
      `The area ${bbox.join(', ')} is not a box west, south, east, north in degrees (west < east, south < north), or the resolution ${resolutionM} m is not positive.`,
    );
  }
  const epsg = utmEpsgFor((west + east) / 2, (south + north) / 2);
  const [minX, minY, maxX, maxY] = transformBBox(bbox, 4326, epsg);
  const originX = Math.floor(minX / resolutionM) * resolutionM;
  const originY = Math.ceil(maxY / resolutionM) * resolutionM;
  const width = Math.max(1, Math.ceil((maxX - originX) / resolutionM));
  const height = Math.max(1, Math.ceil((originY - minY) / resolutionM));
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new AppError(
      'too-large',
      `The area is ${width} x ${height} pixels at ${resolutionM} m; choose a smaller area or a coarser resolution (at most ${MAX_SIDE} a side).`,
    );
  }
  return { width, height, epsg, transform: { originX, originY, resX: resolutionM, resY: resolutionM } };
}
