/**
 * RGBA images for the map: true colour and composites, the viridis heat map, cluster and
 * class palettes, the embeddings' colour preview.
 *
 * The public surface of src/lib/render/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { classesToRgba } from './class-image.ts';
export {
  CLUSTER_PALETTE,
  clusterColourCss,
  defaultClusterName,
  labelsToRgba,
  UNLABELLED,
} from './cluster-image.ts';
export { colormapRGB, VIRIDIS_LUT } from './colormap.ts';
export {
  availableComposites,
  COMPOSITES,
  type CompositeDef,
  type CompositeId,
  compositeRgba,
} from './composites.ts';
export { EmbeddingPreview } from './embedding-preview.ts';
export { MARKER_COLOURS, MARKER_KEY, type MarkerKind, markerColourCss } from './marker-colours.ts';
export { similarityToRgba } from './similarity-image.ts';
