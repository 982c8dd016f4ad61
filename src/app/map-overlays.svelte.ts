import type { Corners, MapContent, Marker, RasterOverlay } from '../lib/layers/index.ts';
import { labelsToRgba } from '../lib/render/index.ts';
import type { LayerId, StackedLayerId } from '../lib/state/index.ts';
import type { Explorer } from './explorer.svelte.ts';

/**
 * What the map draws, derived from the explorer's results and the layer panel. Each overlay
 * image is derived on its own, so hiding a cluster redraws only the cluster image; the score
 * layers (similarity, change) are coloured on the GPU, so moving their threshold changes a
 * uniform and touches no pixel. The result layers are drawn in the layer stack's order
 * (the newest result on top unless the user reordered them), over the imagery.
 */
export class MapOverlays {
  constructor(
    private readonly explorer: Explorer,
    /** The class map (the classifier's store draws it), when there is one. */
    private readonly classImage: () => ImageData | undefined,
  ) {}

  private layer(id: LayerId) {
    return this.explorer.layers.layer(id);
  }

  readonly clusterImage = $derived.by(() => {
    const c = this.explorer.analysis.clusters;
    const grid = this.explorer.analysis.gridSpec;
    if (!c || !grid) return undefined;
    const rgba = labelsToRgba(c.labels, { hidden: this.explorer.layers.hiddenClusters });
    return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, grid.width, grid.height);
  });

  readonly content = $derived.by((): MapContent => {
    const ex = this.explorer;
    const a = ex.analysis;
    const corners = ex.corners;
    const rasters: RasterOverlay[] = [];
    if (!corners) return { rasters, markers: [] };
    const overlay = (
      id: 'imagery' | 'pca' | 'clusters' | 'classes',
      image: ImageData | undefined,
      at: Corners | undefined,
    ) => {
      const l = this.layer(id);
      if (image && at)
        rasters.push({ kind: 'image', id, image, corners: at, visible: l.visible, opacity: l.opacity });
    };
    const scores = (
      id: 'similarity' | 'change',
      values: Float32Array | undefined,
      threshold: number,
      max: number,
    ) => {
      const l = this.layer(id);
      const at = a.corners;
      const grid = a.gridSpec;
      if (!values || !at || !grid) return;
      rasters.push({
        kind: 'score',
        id,
        values,
        width: grid.width,
        height: grid.height,
        threshold,
        max,
        corners: at,
        visible: l.visible,
        opacity: l.opacity,
      });
    };
    overlay('imagery', ex.imagery, corners);
    // Embeddings may lie on a coarser grid than the imagery (slow encoders): their own corners.
    const draw: Record<StackedLayerId, () => void> = {
      pca: () => overlay('pca', a.pca?.image, a.corners),
      clusters: () => overlay('clusters', this.clusterImage, a.corners),
      classes: () => overlay('classes', this.classImage(), a.corners),
      change: () => scores('change', a.change?.distance, a.changeThreshold, a.change?.max ?? 0),
      similarity: () => scores('similarity', a.similarity?.scores, a.threshold, a.similarity?.max ?? 0),
    };
    // Bottom first: the stack lists the top layer first.
    for (const id of [...ex.layers.order].reverse()) draw[id]();
    // While encoding: the embeddings computed so far, on top, until the new grid is ready.
    if (ex.preview) {
      rasters.push({
        kind: 'image',
        id: 'preview',
        image: ex.preview.image,
        corners: ex.preview.corners,
        visible: true,
        opacity: 0.85,
      });
    }
    const markers: Marker[] = a.places.map((p) => ({ lon: p.lon, lat: p.lat, kind: 'result' }));
    for (const p of a.positives) markers.push({ lon: p.lon, lat: p.lat, kind: 'positive' });
    for (const p of a.negatives) markers.push({ lon: p.lon, lat: p.lat, kind: 'negative' });
    if (a.query) markers.push({ ...a.query, kind: 'query' });
    return { rasters, markers };
  });
}
