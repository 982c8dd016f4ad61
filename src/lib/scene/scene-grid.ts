import type { ImageGeoref } from '../cog/index.ts';
import { gridForArea } from '../cog/index.ts';
import { AppError } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { transformBBox, utmEpsgFor } from '../geo/index.ts';

/**
 * The grid a scene is read onto, from each tile's red band lattice (its 10 m grid, or the
 * coarser one of a load resolution: loadLattice). One tile: that lattice, cut to the area.
 * Several tiles (an area across MGRS tiles): the grid of the UTM zone of the area's centre,
 * the red band grid of a tile in that zone when there is one (Sentinel-2 grids of one zone
 * share a 10 m lattice, so its pixels are copied, not resampled); tiles of another zone are
 * reprojected onto it (bilinear for reflectance, nearest for SCL; see resample.ts).
 */
export function sceneGrid(refs: readonly ImageGeoref[], area: BBox | undefined): GridSpec {
  const first = refs[0];
  if (!first) throw new AppError('bad-input', 'No scene was given.');
  if (!area) {
    if (refs.length > 1) throw new AppError('bad-input', 'Mosaicking several tiles needs an area.');
    return gridForArea(first, undefined);
  }
  if (refs.length === 1) return gridForArea(first, transformBBox(area, 4326, first.epsg));
  const zone = utmEpsgFor((area[0] + area[2]) / 2, (area[1] + area[3]) / 2);
  const inZone = refs.find((r) => r.epsg === zone);
  const bounds = transformBBox(area, 4326, inZone?.epsg ?? zone);
  if (inZone) {
    // Extend the reference lattice over the whole area: the area may reach past this tile.
    const t = inZone.transform;
    const x0 = Math.floor((bounds[0] - t.originX) / t.resX);
    const y0 = Math.floor((t.originY - bounds[3]) / t.resY);
    const lattice: ImageGeoref = {
      epsg: zone,
      transform: { ...t, originX: t.originX + x0 * t.resX, originY: t.originY - y0 * t.resY },
      width: Math.ceil((bounds[2] - bounds[0]) / t.resX) + 2,
      height: Math.ceil((bounds[3] - bounds[1]) / t.resY) + 2,
    };
    return gridForArea(lattice, bounds);
  }
  const res = first.transform.resX;
  const originX = Math.floor(bounds[0] / res) * res;
  const originY = Math.ceil(bounds[3] / res) * res;
  return gridForArea(
    {
      epsg: zone,
      transform: { originX, originY, resX: res, resY: res },
      width: Math.ceil((bounds[2] - originX) / res),
      height: Math.ceil((originY - bounds[1]) / res),
    },
    bounds,
  );
}
