import type { Corners, MapContent, Marker, RasterOverlay } from '../lib/layers/layer-specs.ts';
import { labelsToRgba } from '../lib/render/cluster-image.ts';
import { similarityToRgba } from '../lib/render/similarity-image.ts';
import type { Explorer } from './explorer.svelte.ts';
import type { LayerState } from './layer-state.ts';

/** A heat map of `values` on the analysis grid, transparent below `threshold`. */
function heatImage(
  values: Float32Array,
  threshold: number,
  max: number,
  grid: { width: number; height: number } | undefined,
): ImageData | undefined {
  if (!grid) return undefined;
  const rgba = similarityToRgba(values, { threshold, min: threshold, max });
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, grid.width, grid.height);
}

/**
 * What the map draws, derived from the explorer's results and the layer panel. Each overlay
 * image is derived on its own, so moving the similarity threshold recolours only the heat map
 * and hiding a cluster redraws only the cluster image.
 */
export class MapOverlays {
  constructor(
    private readonly explorer: Explorer,
    private readonly layer: (id: LayerState['id']) => LayerState,
    private readonly hiddenClusters: () => ReadonlySet<number>,
  ) {}

  readonly clusterImage = $derived.by(() => {
    const c = this.explorer.clusters;
    const grid = this.explorer.analysisGrid;
    if (!c || !grid) return undefined;
    const rgba = labelsToRgba(c.labels, { hidden: this.hiddenClusters() });
    return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, grid.width, grid.height);
  });

  readonly similarityImage = $derived.by(() => {
    const sim = this.explorer.similarity;
    return sim && heatImage(sim.scores, this.explorer.threshold, sim.max, this.explorer.analysisGrid);
  });

  readonly changeImage = $derived.by(() => {
    const change = this.explorer.change;
    return (
      change &&
      heatImage(change.distance, this.explorer.changeThreshold, change.max, this.explorer.analysisGrid)
    );
  });

  readonly content = $derived.by((): MapContent => {
    const ex = this.explorer;
    const corners = ex.corners;
    const rasters: RasterOverlay[] = [];
    if (!corners) return { rasters, markers: [] };
    const overlay = (
      id: Exclude<LayerState['id'], 'aoi'>,
      image: ImageData | undefined,
      at: Corners | undefined,
    ) => {
      const l = this.layer(id);
      if (image && at) rasters.push({ id, image, corners: at, visible: l.visible, opacity: l.opacity });
    };
    overlay('imagery', ex.imagery, corners);
    // Embeddings may lie on a coarser grid than the imagery (slow encoders): their own corners.
    overlay('pca', ex.pca?.image, ex.analysisCorners);
    overlay('clusters', this.clusterImage, ex.analysisCorners);
    overlay('change', this.changeImage, ex.analysisCorners);
    overlay('similarity', this.similarityImage, ex.analysisCorners);
    // While encoding: the embeddings computed so far, on top, until the new grid is ready.
    if (ex.preview) {
      rasters.push({
        id: 'preview',
        image: ex.preview.image,
        corners: ex.preview.corners,
        visible: true,
        opacity: 0.85,
      });
    }
    const markers: Marker[] = ex.places.map((p) => ({ lon: p.lon, lat: p.lat, kind: 'result' }));
    for (const p of ex.positives) markers.push({ lon: p.lon, lat: p.lat, kind: 'positive' });
    for (const p of ex.negatives) markers.push({ lon: p.lon, lat: p.lat, kind: 'negative' });
    if (ex.query) markers.push({ ...ex.query, kind: 'query' });
    return { rasters, markers };
  });
}
