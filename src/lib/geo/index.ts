/**
 * CRS conversion, geotransforms and grids, polygons, rasterising and the map's drawing sketch.
 *
 * The public surface of src/lib/geo/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export {
  converter,
  gridCornersWgs84,
  isSupportedEpsg,
  proj4Definition,
  transformBBox,
  utmEpsgFor,
} from './crs.ts';
export {
  type BBox,
  crsToPixel,
  type GeoTransform,
  type GridSpec,
  gridBounds,
  pixelToCrs,
} from './geotransform.ts';
export {
  boxRing,
  closeRing,
  densifyRing,
  type LonLat,
  MAX_POLYGON_VERTICES,
  openRing,
  ringAreaKm2,
  ringBBox,
  selfIntersection,
  validatePolygon,
} from './polygon.ts';
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
