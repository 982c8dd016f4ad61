/**
 * CRS conversion, geotransforms and grids, polygons, rasterising and the map's drawing sketch.
 *
 * The public surface of src/lib/geo/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { converter, gridCornersWgs84, isSupportedEpsg, transformBBox, utmEpsgFor } from './crs.ts';
export {
  type BBox,
  crsToPixel,
  type GeoTransform,
  type GridSpec,
  gridBounds,
  pixelToCrs,
} from './geotransform.ts';
export { boxRing, closeRing, type LonLat, ringAreaKm2, ringBBox, validatePolygon } from './polygon.ts';
export { polygonMask } from './rasterise.ts';
export {
  beginSketch,
  type DrawMode,
  type DrawnShape,
  type PointerSample,
  type PointerType,
  type Sketch,
  type SketchStep,
  sketchKey,
  sketchPointer,
} from './sketch.ts';
