/**
 * The only deck.gl code: the explorer's map, its basemap and layers, and the layer specs
 * the app fills.
 *
 * The public surface of src/lib/layers/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { basemapLayers, OSM_ATTRIBUTION, OSM_TILES } from './basemap.ts';
export { loadCountryOutlines } from './country-outlines.ts';
export { ExplorerMap, MAP_DRAWN_EVENT } from './explorer-map.ts';
export { type FrameSource, IdleFrames } from './idle-frames.ts';
export type { Corners, DrawOverlay, MapContent, Marker, RasterOverlay } from './layer-specs.ts';
export { OutlineSelector } from './outline-culling.ts';
export { ScoreLayer, type ScoreRaster } from './score-layer.ts';
